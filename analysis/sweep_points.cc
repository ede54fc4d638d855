#include "analysis/sweep_points.h"

#include <algorithm>
#include <utility>

#include "analysis/sweep_axes.h"
#include "loader/input_error.h"

namespace analysis {

namespace {

// Loads between two parses of the file. The tree is set in place, but each
// load also adds the nodes of its variants' merged settings to the tree's
// node pool (yaml-cpp frees a pool only with its last node): a fresh parse
// now and then keeps a worker's memory flat however many points it loads.
constexpr std::size_t kLoadsPerParse = 64;

// The node a value of an axis is: the file's (so that an error about the
// value points at it), or, for a range's values and the command line's, a
// node made here, which has no place in the file (yaml-cpp's null mark), so
// that an error about it shows none rather than a wrong one.
YAML::Node value_node(const YAML::Node& root, const loader::SweepAxis& axis, std::size_t i) {
  const loader::AxisValue& v = axis.values[i];
  if (!axis.from_command_line) {
    const YAML::Node& r = root;  // const: lookups must not add keys
    const YAML::Node written = r["sweep"]["axes"][axis.path];
    if (written.IsSequence()) return written[i];
    if (written.IsScalar() && (written.Tag() == "!" || !loader::looks_like_range(written.Scalar())))
      return written;
  }
  YAML::Node made(v.text);
  made.SetTag(v.quoted ? "!" : "?");
  return made;
}

}  // namespace

namespace {

// The sweep section is the definition's business, read once by define_sweep.
loader::LoadOptions without_sweep(loader::LoadOptions load) {
  load.skip_sweep = true;
  return load;
}

}  // namespace

PointLoader::PointLoader(const SweepDefinition& definition, const std::string& file, const std::string& text,
                         const loader::LoadOptions& load)
    : definition_(definition), load_(without_sweep(load)), src_(file, text) {
  parse();
}

void PointLoader::parse() {
  root_.reset(src_.parse());  // reset, not `=`: that would write the new tree into the old one
  values_.clear();
  for (const auto& axis : definition_.axes) {
    std::vector<YAML::Node> nodes;
    for (std::size_t i = 0; i < axis.values.size(); ++i) nodes.push_back(value_node(root_, axis, i));
    values_.push_back(std::move(nodes));
  }
  loads_ = 0;
}

loader::Scenario PointLoader::scenario(std::size_t point) {
  if (++loads_ > kLoadsPerParse) parse();
  const SweepDefinition& d = definition_;
  const auto c = d.coordinates(point);
  unreached_.assign(d.axes.size(), {});
  for (std::size_t k = 0; k < d.axes.size(); ++k) unreached_[k] = apply_axis(src_, root_, d.axes[k], values_[k][c[k]]);
  try {
    return loader::load_scenario_tree(src_, root_, load_);
  } catch (const loader::InputError& e) {
    const loader::SourcePos& pos = e.pos();
    throw loader::InputError(pos,
                             "at point " + std::to_string(point) + " of the sweep (" + d.describe_point(point) +
                                 "): " + e.message(),
                             pos.line > 0 ? src_.line(pos.line) : std::string());
  }
}

std::vector<std::shared_ptr<const models::RunPlan>> PointLoader::plans(std::size_t point) {
  loader::Scenario s = scenario(point);
  std::vector<std::shared_ptr<const models::RunPlan>> out;
  for (auto& v : s.variants)
    if (std::find(definition_.variants.begin(), definition_.variants.end(), v.name) != definition_.variants.end())
      out.push_back(std::move(v.plan));
  return out;
}

loader::Scenario load_point(const SweepDefinition& definition, const std::string& file, const std::string& text,
                            std::size_t point, const loader::LoadOptions& load) {
  return PointLoader(definition, file, text, load).scenario(point);
}

}  // namespace analysis
