// A sweep's points as one worker loads them: the scenario file parsed once,
// each point's axis values set in that tree in place (the axes set the same
// keys at every point, so the tree after setting point P's values is the tree
// a fresh parse would give), and the point loaded from it. A 10,000-point
// sweep re-parsed its file per point: 7 s of a 57 s sweep.
#pragma once

#include <yaml-cpp/yaml.h>

#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include "analysis/sweep_definition.h"
#include "loader/scenario.h"
#include "loader/yaml_source.h"
#include "models/run_plan.h"

namespace analysis {

class PointLoader {
 public:
  // `definition`, `file`, `text` and `load` outlive the loader.
  PointLoader(const SweepDefinition& definition, const std::string& file, const std::string& text,
              const loader::LoadOptions& load);

  // Point `point`'s scenario. Throws loader::InputError: one about the
  // point's values names them ("at point 3 of the sweep (...)"); a bad path is
  // the axis's fault, the same at every point, and is reported plainly.
  loader::Scenario scenario(std::size_t point);
  // The runs of point `point`: the plan of each of the definition's variants,
  // in file order.
  std::vector<std::shared_ptr<const models::RunPlan>> plans(std::size_t point);
  // For each axis, the variants (of all the file's) that its value did not
  // reach at the last point loaded (sweep_axes.h).
  const std::vector<std::vector<std::string>>& unreached() const { return unreached_; }

 private:
  void parse();

  const SweepDefinition& definition_;
  const loader::LoadOptions load_;  // the caller's, with skip_sweep
  loader::YamlSource src_;
  YAML::Node root_;
  // Each axis's values as nodes: those of the file (so that an error points
  // at them) or made once (ranges, the command line's).
  std::vector<std::vector<YAML::Node>> values_;
  std::size_t loads_ = 0;  // since the last parse
  std::vector<std::vector<std::string>> unreached_;
};

// One point's scenario, loaded on its own (tests, `check`).
loader::Scenario load_point(const SweepDefinition& definition, const std::string& file,
                            const std::string& text, std::size_t point, const loader::LoadOptions& load = {});

}  // namespace analysis
