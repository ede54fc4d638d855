#include "loader/sweep_spec.h"

#include <charconv>
#include <cstdint>

#include "sim/json.h"
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

// A column name: text, not empty. `key` names the entry it is in ("sweep.fit").
std::string read_column(const YamlSource& src, const YamlEntry& e, const std::string& key = "sweep.fit") {
  std::string name = read_string(src, e.value, key + "." + e.key);
  if (name.empty()) src.fail(e.value, key + "." + e.key + " wants a column name, not an empty string");
  return name;
}

SweepFit read_fit(const YamlSource& src, const YamlEntry& e) {
  SweepFit fit;
  fit.pos = src.pos(e.key_node.Mark());
  const auto entries = map_entries(src, e.value, "sweep.fit");
  check_keys(src, entries, {"x", "throughput", "time", "by"}, "in sweep.fit");
  const YamlEntry* x = find_entry(entries, "x");
  if (!x)
    src.fail(e.key_node, "sweep.fit needs x: the axis of concurrency (workers, threads), like "
                         "x: threads.0.count");
  fit.x = read_column(src, *x);
  fit.x_pos = src.pos(x->value.Mark());
  const YamlEntry* throughput = find_entry(entries, "throughput");
  const YamlEntry* time = find_entry(entries, "time");
  if (throughput && time)
    src.fail(time->key_node, "sweep.fit takes one of throughput and time, not both");
  if (!throughput && !time)
    src.fail(e.key_node, "sweep.fit needs throughput: COLUMN (a throughput metric, like "
                         "requests.throughput) or time: COLUMN (a wall time for a fixed amount of "
                         "work, like wall)");
  fit.time = time != nullptr;
  fit.y = read_column(src, time ? *time : *throughput);
  if (const YamlEntry* by = find_entry(entries, "by")) fit.by = read_column(src, *by);
  return fit;
}

SweepSaturation read_saturation(const YamlSource& src, const YamlEntry& e) {
  const std::string key = "sweep.saturation";
  SweepSaturation sat;
  SaturationRequest& r = sat.request;
  r.setting_prefix = key + ".";
  sat.pos = src.pos(e.key_node.Mark());
  const auto entries = map_entries(src, e.value, key);
  check_keys(src, entries, {"load", "slo", "metrics", "goodput", "tolerance", "by"}, "in " + key);
  const YamlEntry* load = find_entry(entries, "load");
  if (!load)
    src.fail(e.key_node, key + " needs load: the axis of the offered load (an arrival rate), like "
                               "load: requests.0.arrival.poisson");
  r.load = read_column(src, *load, key);
  sat.load_pos = src.pos(load->value.Mark());
  if (const YamlEntry* m = find_entry(entries, "metrics")) r.metrics = read_column(src, *m, key);
  if (const YamlEntry* by = find_entry(entries, "by")) r.by = read_column(src, *by, key);
  if (const YamlEntry* g = find_entry(entries, "goodput")) r.goodput = read_bool(src, g->value, key + ".goodput");
  if (const YamlEntry* t = find_entry(entries, "tolerance")) {
    r.tolerance = read_number(src, t->value, key + ".tolerance");
    if (!(r.tolerance >= 0 && r.tolerance < 1))
      src.fail(t->value, key + ".tolerance wants a fraction at least 0 and below 1, like 0.05");
  }
  if (const YamlEntry* slo = find_entry(entries, "slo"))
    for (const auto& o : map_entries(src, slo->value, key + ".slo")) {
      if (!o.value.IsScalar())
        src.fail(o.value.IsNull() ? o.key_node : o.value,
                 key + ".slo." + o.key + " wants a duration, like 200ms, got " + describe(o.value));
      auto objective = make_objective(o.key, o.value.Scalar());
      if (!objective.ok())
        src.fail(is_objective_metric(o.key) ? o.value : o.key_node, key + ".slo." + o.key + ": " + objective.problem);
      r.objectives.push_back(objective.value);
    }
  return sat;
}

}  // namespace

SweepSpec read_sweep(const YamlSource& src, const YAML::Node& node) {
  SweepSpec spec;
  const auto entries = map_entries(src, node, "sweep");
  check_keys(src, entries, {"axes", "replications", "fit", "saturation"}, "in sweep");
  if (const YamlEntry* r = find_entry(entries, "replications"))
    spec.replications =
        static_cast<int>(read_int(src, r->value, "sweep.replications", 1, kMaxReplications));
  if (const YamlEntry* axes = find_entry(entries, "axes"))
    for (const auto& e : map_entries(src, axes->value, "sweep.axes"))
      spec.axes.push_back(read_axis(src, e));
  if (const YamlEntry* fit = find_entry(entries, "fit")) spec.fit = read_fit(src, *fit);
  if (const YamlEntry* s = find_entry(entries, "saturation")) spec.saturation = read_saturation(src, *s);
  return spec;
}

}  // namespace loader
