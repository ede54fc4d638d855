// The scenario reference for users (docs/scenario-reference.md), rendered
// from the loader's tables: every section's keys and the operations. A test
// (tests/loader/schema_test.cc) keeps the committed file equal to it.
#pragma once

#include <string>
#include <vector>

#include "loader/schema.h"

namespace loader {

// Every section of a scenario file, in the reference's order.
std::vector<SectionDoc> reference_sections();

// An operation of a `run:` list, in words.
struct OperationDoc {
  std::string name;
  std::string value;       // what its own key takes
  std::vector<std::string> companions;
  std::string places;      // "a thread, a task, a pool's work"
  std::string doc;
};
std::vector<OperationDoc> operation_docs();

// The whole reference, as Markdown.
std::string scenario_reference();

}  // namespace loader
