// The claims table: what the article says (C1..C12), the
// scenarios shipped for each claim, the figures they measure, and whether
// every expectation holds. `gilsim` and `gilsim claims` print it.
#pragma once

#include <functional>
#include <ostream>
#include <string>
#include <vector>

#include "report/report.h"
#include "report/runner.h"
#include "loader/scenario.h"

namespace report {

struct ArticleClaim {
  const char* id;    // "C2"
  const char* says;  // one line: what the article says
};

// C1..C12, in order.
const std::vector<ArticleClaim>& article_claims();

struct ClaimsRun {
  std::vector<ScenarioResult> results;  // one per embedded scenario that loaded, in path order
  // Embedded scenarios that failed to load: a broken build, not the user's
  // input (the command line reports it as an internal error).
  std::vector<std::string> load_errors;
};

// Loads and runs every embedded scenario, `jobs` at once (the results are
// the same for any number). `progress` (may be empty) is told each
// scenario's path before it runs, one call at a time; an exception it throws
// stops the suite (the runs under way end first).
ClaimsRun run_claims(const loader::LoadOptions& load,
                     const std::function<void(const std::string&)>& progress = {}, unsigned jobs = 1);

// A claim holds when it has at least one scenario and all of them hold.
// Claims with no scenario are "not modelled yet"; they do not fail the table.
bool claims_hold(const std::vector<ScenarioResult>& results);

// Prints the table, a one-line verdict, and the failed expectations of any
// scenario that did not hold.
void print_claims_table(std::ostream& out, const std::vector<ScenarioResult>& results,
                        const Style& style);

}  // namespace report
