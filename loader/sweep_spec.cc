#include "loader/sweep_spec.h"

#include <charconv>
#include <cstdint>

#include "sim/json.h"
#include "loader/schema.h"
#include "loader/yaml_values.h"

namespace loader {

std::string yaml_spelling(const AxisValue& value) {
  // A JSON string is a YAML double-quoted scalar with the same escapes.
  return value.quoted ? sim::json_string(value.text) : value.text;
}

AxisValue axis_value(const YAML::Node& scalar) {
  // yaml-cpp tags a quoted scalar "!" and a plain one "?".
  return AxisValue{scalar.Scalar(), scalar.Tag() == "!"};
}

std::string SweepAxis::describe() const {
  return std::string(from_command_line ? "the command-line axis '" : "the axis '") + path + "'";
}

bool looks_like_range(std::string_view text) { return text.find("..") != std::string_view::npos; }

namespace {

// 'text': appended piecewise, as GCC 12 warns falsely (-Wrestrict) on "'" + string.
std::string quoted(std::string_view text) {
  std::string out = "'";
  out.append(text).append("'");
  return out;
}

bool parse_whole(std::string_view text, std::int64_t& out) {
  if (text.empty()) return false;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  return ec == std::errc() && end == text.data() + text.size();
}

}  // namespace

ParseResult<std::vector<AxisValue>> parse_range(std::string_view text) {
  ParseResult<std::vector<AxisValue>> r;
  const std::size_t dots = text.find("..");
  std::int64_t low = 0, high = 0;
  if (dots == std::string_view::npos || !parse_whole(text.substr(0, dots), low) ||
      !parse_whole(text.substr(dots + 2), high)) {
    r.problem = quoted(text) + " is not a range: a range is two whole numbers A..B, like 1..8";
    return r;
  }
  if (low > high) {
    r.problem = "the range '" + std::string(text) + "' is empty: write the smaller number first (" +
                std::to_string(high) + ".." + std::to_string(low) + ")";
    return r;
  }
  if (high - low >= kMaxAxisValues) {
    r.problem = "the range '" + std::string(text) + "' has more than " +
                std::to_string(kMaxAxisValues) + " values";
    return r;
  }
  for (std::int64_t v = low; v <= high; ++v) r.value.push_back(AxisValue{std::to_string(v), false});
  return r;
}

std::string path_problem(std::string_view path) {
  if (path.empty()) return "an axis needs a path, like runtime.switch_interval";
  std::size_t start = 0;
  for (;;) {
    const std::size_t dot = path.find('.', start);
    const std::string_view part = path.substr(start, dot == std::string_view::npos ? dot : dot - start);
    if (part.empty())
      return "the path '" + std::string(path) + "' has an empty part: write keys between single dots";
    if (part.find_first_of(" \t=[]{},") != std::string_view::npos)
      return "the path '" + std::string(path) + "' has a character a key cannot have";
    if (dot == std::string_view::npos) return {};
    start = dot + 1;
  }
}

ParseResult<SweepAxis> parse_axis_argument(std::string_view argument) {
  ParseResult<SweepAxis> r;
  const std::size_t eq = argument.find('=');
  if (eq == std::string_view::npos) {
    r.problem = quoted(argument) + " is not an axis: write PATH=VALUES, like " +
                "runtime.switch_interval=[1ms,5ms] or threads.0.count=1..4";
    return r;
  }
  r.value.path = std::string(argument.substr(0, eq));
  r.value.from_command_line = true;
  const std::string values(argument.substr(eq + 1));
  r.problem = path_problem(r.value.path);
  if (!r.ok()) return r;
  const std::string in = " in the command-line axis '" + std::string(argument) + "'";
  YAML::Node node;
  try {
    node = YAML::Load(values);
  } catch (const YAML::Exception& e) {
    r.problem = "cannot read the values" + in + ": " + e.msg;
    return r;
  }
  if (node.IsNull() || (node.IsScalar() && node.Scalar().empty() && node.Tag() != "!")) {
    r.problem = "no values" + in + ": write a list [a, b], a range A..B or one value";
  } else if (node.IsSequence()) {
    for (const auto& item : node) {
      if (!item.IsScalar()) {
        r.problem = "each value" + in + " must be a single value, not " + describe(item);
        return r;
      }
      r.value.values.push_back(axis_value(item));
    }
    if (r.value.values.empty()) r.problem = "the list of values" + in + " is empty";
  } else if (node.IsScalar()) {
    if (node.Tag() != "!" && looks_like_range(node.Scalar())) {
      auto range = parse_range(node.Scalar());
      if (!range.ok()) r.problem = range.problem + in;
      r.value.values = std::move(range.value);
    } else {
      r.value.values.push_back(axis_value(node));
    }
  } else {
    r.problem = "the values" + in + " are a map: write a list [a, b], a range A..B or one value";
  }
  if (r.ok() && r.value.values.size() > static_cast<std::size_t>(kMaxAxisValues))
    r.problem = "more than " + std::to_string(kMaxAxisValues) + " values" + in;
  return r;
}

namespace {

SweepAxis read_axis(const YamlSource& src, const YamlEntry& e) {
  SweepAxis axis;
  axis.path = e.key;
  axis.pos = src.pos(e.key_node.Mark());
  if (const std::string problem = path_problem(e.key); !problem.empty()) src.fail(e.key_node, problem);
  const std::string in = " of the axis '" + e.key + "'";
  if (e.value.IsSequence()) {
    for (const auto& item : list_items(src, e.value, "the values" + in)) {
      if (!item.IsScalar())
        src.fail(item, "each value" + in + " must be a single value, got " + describe(item));
      axis.values.push_back(axis_value(item));
    }
    if (axis.values.empty())
      src.fail(e.value, "the list of values" + in + " is empty: give at least one");
    if (axis.values.size() > static_cast<std::size_t>(kMaxAxisValues))
      src.fail(e.value, "more than " + std::to_string(kMaxAxisValues) + " values" + in);
  } else if (e.value.IsScalar() && e.value.Tag() != "!" && looks_like_range(e.value.Scalar())) {
    auto range = parse_range(e.value.Scalar());
    if (!range.ok()) src.fail(e.value, range.problem);
    axis.values = std::move(range.value);
  } else if (e.value.IsScalar()) {
    axis.values.push_back(axis_value(e.value));
  } else {
    src.fail(e.value.IsNull() ? e.key_node : e.value,
             "expected values for the axis '" + e.key +
                 "': a list [a, b], a range A..B or one value, got " + describe(e.value));
  }
  return axis;
}

// A column name: text, not empty, into the row's field.
template <typename Target, typename Extra>
void read_column(Reading<Target, Extra>& r, const Key<Target, Extra>& key, const YamlEntry* e) {
  const std::string where = r.where(key.name);
  std::string name = read_string(r.src, e->value, where);
  if (name.empty()) r.src.fail(e->value, where + " wants a column name, not an empty string");
  r.target.*key.field.string_field = std::move(name);
}

using FitReading = Reading<SweepFit, NoExtra>;
using FitKey = Key<SweepFit, NoExtra>;

const Section<SweepFit>& fit_section() {
  static const Section<SweepFit> section(
      "sweep.fit", "`fit:` in `sweep`",
      "What `gilsim sweep` fits when every point is done, as `gilsim fit RESULTS.csv --x X (--throughput Y | "
      "--time Y) --by BY` would: give `throughput` or `time`, not both.",
      {
          {.name = "x", .type = ValueType::Text, .field = &SweepFit::x, .presence = Presence::Required,
           .needs = ": the axis of concurrency (workers, threads), like x: threads.0.count",
           .read = [](FitReading& r, const FitKey& key, const YamlEntry* e) {
             read_column(r, key, e);
             r.target.x_pos = r.src.pos(e->value.Mark());
           },
           .doc = "The axis of concurrency, one of the sweep's axes."},
          {.name = "throughput", .type = ValueType::Text, .field = &SweepFit::y, .fallback = "-", .read = read_column,
           .doc = "A throughput column, like requests.throughput."},
          {.name = "time", .type = ValueType::Text, .field = &SweepFit::y, .fallback = "-",
           .read = [](FitReading& r, const FitKey& key, const YamlEntry* e) {
             if (!r.target.y.empty())
               r.src.fail(e->key_node, "sweep.fit takes one of throughput and time, not both");
             read_column(r, key, e);
             r.target.time = true;
           },
           .doc = "A wall-time column for a fixed amount of work, like wall (fitted as 1/time)."},
          {.name = "by", .type = ValueType::Text, .field = &SweepFit::by, .read = read_column,
           .doc = "The column whose values get a fit each."},
      });
  return section;
}

SweepFit read_fit(const YamlSource& src, const YamlEntry& e) {
  SweepFit fit;
  fit.pos = src.pos(e.key_node.Mark());
  const auto entries = map_entries(src, e.value, "sweep.fit");
  NoExtra none;
  FitReading r{src, entries, e.key_node, {"sweep.fit", "sweep.fit."}, fit, none};
  read_section(fit_section(), r, "in sweep.fit");
  if (fit.y.empty())
    src.fail(e.key_node, "sweep.fit needs throughput: COLUMN (a throughput metric, like "
                         "requests.throughput) or time: COLUMN (a wall time for a fixed amount of "
                         "work, like wall)");
  return fit;
}

using SaturationReading = Reading<SaturationRequest, SweepSaturation>;
using SaturationKey = Key<SaturationRequest, SweepSaturation>;

void read_objectives(SaturationReading& r, const SaturationKey& key, const YamlEntry* e) {
  const std::string slo = r.where(key.name);
  for (const auto& o : map_entries(r.src, e->value, slo)) {
    if (!o.value.IsScalar())
      r.src.fail(o.value.IsNull() ? o.key_node : o.value,
                 slo + "." + o.key + " wants a duration, like 200ms, got " + describe(o.value));
    auto objective = make_objective(o.key, o.value.Scalar());
    if (!objective.ok())
      r.src.fail(is_objective_metric(o.key) ? o.value : o.key_node, slo + "." + o.key + ": " + objective.problem);
    r.target.objectives.push_back(objective.value);
  }
}

const Section<SaturationRequest, SweepSaturation>& saturation_section() {
  static const Section<SaturationRequest, SweepSaturation> section(
      "sweep.saturation", "`saturation:` in `sweep`",
      "Where each server saturates, analysed when every point is done, as `gilsim saturation RESULTS.csv "
      "--load LOAD [--slo M=D]... --metrics P --tolerance T --by BY` would.",
      {
          {.name = "load", .type = ValueType::Text, .field = &SaturationRequest::load,
           .presence = Presence::Required,
           .needs = ": the axis of the offered load (an arrival rate), like load: requests.0.arrival.poisson",
           .read = [](SaturationReading& r, const SaturationKey& key, const YamlEntry* e) {
             read_column(r, key, e);
             r.extra.load_pos = r.src.pos(e->value.Mark());
           },
           .doc = "The axis of the offered load, one of the sweep's axes."},
          {.name = "slo", .type = ValueType::Map, .fallback = "none",
           .read = read_objectives,
           .doc = "Latency objectives, like {p99: 200ms}: a load that misses one is past saturation. The "
                  "metrics are p50, p90, p99, max and mean."},
          {.name = "metrics", .type = ValueType::Text, .field = &SaturationRequest::metrics, .read = read_column,
           .doc = "The prefix of the columns PREFIX.offered, PREFIX.throughput, PREFIX.p99, ..."},
          {.name = "goodput", .type = ValueType::Bool, .field = &SaturationRequest::goodput,
           .doc = "Compare the goodput (responses to a client still waiting) with the offered load, instead "
                  "of the throughput."},
          {.name = "tolerance", .type = ValueType::Number, .field = &SaturationRequest::tolerance,
           .read = [](SaturationReading& r, const SaturationKey& key, const YamlEntry* e) {
             const std::string where = r.where(key.name);
             r.target.tolerance = read_number(r.src, e->value, where);
             if (!(r.target.tolerance >= 0 && r.target.tolerance < 1))
               r.src.fail(e->value, where + " wants a fraction at least 0 and below 1, like 0.05");
           },
           .doc = "A fraction, at least 0 and below 1: saturated where throughput < (1 - tolerance) x offered."},
          {.name = "by", .type = ValueType::Text, .field = &SaturationRequest::by, .read = read_column,
           .doc = "The column whose values get an analysis each."},
      });
  return section;
}

SweepSaturation read_saturation(const YamlSource& src, const YamlEntry& e) {
  const std::string key = "sweep.saturation";
  SweepSaturation sat;
  sat.request.setting_prefix = key + ".";
  sat.pos = src.pos(e.key_node.Mark());
  const auto entries = map_entries(src, e.value, key);
  SaturationReading r{src, entries, e.key_node, {key, key + "."}, sat.request, sat};
  read_section(saturation_section(), r, "in " + key);
  return sat;
}

using SweepReading = Reading<SweepSpec, NoExtra>;
using SweepKey = Key<SweepSpec, NoExtra>;

const Section<SweepSpec>& sweep_section() {
  static const Section<SweepSpec> section(
      "sweep", "`sweep:` at the top level",
      "What `gilsim sweep` varies: every combination of the axes' values is a point, run `replications` "
      "times. `gilsim run` checks the key and leaves it aside.",
      {
          {.name = "axes", .type = ValueType::Map, .fallback = "none",
           .read = [](SweepReading& r, const SweepKey&, const YamlEntry* e) {
             for (const auto& axis : map_entries(r.src, e->value, "sweep.axes"))
               r.target.axes.push_back(read_axis(r.src, axis));
           },
           .doc = "Each a dot-separated path into the scenario (runtime.switch_interval, threads.0.count) "
                  "and its values: a list [a, b], a range A..B of whole numbers, or one value."},
          {.name = "replications", .type = ValueType::Integer, .field = &SweepSpec::replications,
           .limits = {1, kMaxReplications}, .unit = "runs", .doc = "How many runs of each point, each with its own seed."},
          {.name = "fit", .type = ValueType::Map, .fallback = "none", .items = "sweep.fit",
           .read = [](SweepReading& r, const SweepKey&, const YamlEntry* e) { r.target.fit = read_fit(r.src, *e); },
           .doc = "A scalability fit of the results."},
          {.name = "saturation", .type = ValueType::Map, .fallback = "none", .items = "sweep.saturation",
           .read = [](SweepReading& r, const SweepKey&, const YamlEntry* e) {
             r.target.saturation = read_saturation(r.src, *e);
           },
           .doc = "The saturation points of a load sweep."},
      });
  return section;
}

}  // namespace

SweepSpec read_sweep(const YamlSource& src, const YAML::Node& node) {
  SweepSpec spec;
  const auto entries = map_entries(src, node, "sweep");
  NoExtra none;
  SweepReading r{src, entries, node, {"sweep", "sweep."}, spec, none};
  read_section(sweep_section(), r, "in sweep");
  return spec;
}

std::vector<SectionDoc> sweep_docs() {
  return {sweep_section().doc(), fit_section().doc(), saturation_section().doc()};
}

}  // namespace loader
