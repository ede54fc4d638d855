#include "analysis/sweep_records.h"

#include <yaml-cpp/yaml.h>

#include <charconv>
#include <cmath>
#include <set>
#include <stdexcept>

#include "loader/durations.h"
#include "report/report.h"

namespace analysis {

namespace {

bool parse_double(const std::string& text, double& out) {
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  return !text.empty() && ec == std::errc() && end == text.data() + text.size();
}

std::string param_json(const ParamValue& v) {
  return v.is_number ? sim::json_number(v.number) : sim::json_string(v.text);
}

std::string param_csv(const ParamValue& v) {
  return v.is_number ? report::csv_number(v.number) : report::csv_field(v.text);
}

// Point files keep every double exactly: JSON has no NaN or infinity, so
// those are written as the strings "nan", "inf", "-inf".
std::string exact_number(double v) {
  return std::isfinite(v) ? sim::json_number(v) : sim::json_string(report::csv_number(v));
}

// The parameters of a point: {"PATH": value, ...} on one line.
std::string params_json(const SweepDefinition& d, std::size_t point) {
  const auto c = d.coordinates(point);
  std::string out = "{";
  for (std::size_t k = 0; k < d.axes.size(); ++k)
    out += (k ? ", " : "") + sim::json_string(d.axes[k].path) + ": " +
           param_json(param_value(d.axes[k].values[c[k]]));
  return out + "}";
}

}  // namespace

ParamValue param_value(const loader::AxisValue& value) {
  ParamValue p;
  if (!value.quoted) {
    if (auto d = loader::parse_duration(value.text); d.ok()) {
      p.is_number = true;
      p.number = static_cast<double>(d.value) / 1e9;
      return p;
    }
    // A rate (`10/s`, `600/min`) in requests per second, the loader's reading
    // of it: plots put request rates on an axis.
    if (auto r = loader::parse_rate(value.text); r.ok()) {
      p.is_number = true;
      p.number = r.value;
      return p;
    }
    if (parse_double(value.text, p.number) && std::isfinite(p.number)) {
      p.is_number = true;
      return p;
    }
  }
  p.text = value.text;
  return p;
}

std::string point_json(const SweepDefinition& d, const PointRecord& r) {
  sim::JsonBlock o('{', 0);
  o.member("point", std::to_string(r.point));
  o.member("params", params_json(d, r.point));
  sim::JsonBlock runs('[', o.inner());
  for (const auto& run : r.runs) {
    sim::JsonBlock j('{', runs.inner());
    j.member("variant", sim::json_string(run.variant));
    j.member("replication", std::to_string(run.replication));
    j.member("seed", std::to_string(run.seed));
    j.member("finished", run.finished ? "true" : "false");
    sim::JsonBlock metrics('{', j.inner());
    for (const auto& [name, value] : run.metrics) metrics.member(name, exact_number(value));
    j.member("metrics", metrics.str());
    runs.element(j.str());
  }
  o.member("runs", runs.str());
  return o.str() + "\n";
}

PointRecord read_point_json(const std::string& text) {
  try {
    const YAML::Node root = YAML::Load(text);  // JSON is YAML
    if (!root.IsMap() || !root["point"] || !root["runs"])
      throw std::runtime_error("it is not a point file (no 'point' or 'runs')");
    PointRecord r;
    r.point = root["point"].as<std::size_t>();
    for (const auto& j : root["runs"]) {
      RunRecord run;
      run.variant = j["variant"].as<std::string>();
      run.replication = j["replication"].as<int>();
      run.seed = j["seed"].as<std::uint64_t>();
      run.finished = j["finished"].as<bool>();
      for (const auto& m : j["metrics"]) {
        double v = 0;
        if (!parse_double(m.second.Scalar(), v))
          throw std::runtime_error("metric '" + m.first.Scalar() + "' is not a number");
        run.metrics[m.first.Scalar()] = v;
      }
      r.runs.push_back(std::move(run));
    }
    return r;
  } catch (const YAML::Exception& e) {
    throw std::runtime_error(e.msg);
  }
}

std::string sweep_csv(const SweepDefinition& d, const std::vector<PointRecord>& records) {
  std::set<std::string> metrics;  // std::string's order is byte order
  for (const auto& r : records)
    for (const auto& run : r.runs)
      for (const auto& m : run.metrics) metrics.insert(m.first);
  std::string out = "scenario,variant,point,replication,seed";
  // Appended piecewise: GCC 12 warns falsely (-Wrestrict) on "," + string.
  for (const auto& a : d.axes) out.append(",").append(report::csv_field(a.path));
  for (const auto& m : metrics) out.append(",").append(report::csv_field(m));
  out += "\n";
  for (const auto& r : records) {
    const auto c = d.coordinates(r.point);
    std::string params;
    for (std::size_t k = 0; k < d.axes.size(); ++k)
      params.append(",").append(param_csv(param_value(d.axes[k].values[c[k]])));
    for (const auto& run : r.runs) {
      out += report::csv_field(d.scenario) + "," + report::csv_field(run.variant) + "," +
             std::to_string(r.point) + "," + std::to_string(run.replication) + "," +
             std::to_string(run.seed) + params;
      for (const auto& m : metrics) {
        out += ",";
        if (auto it = run.metrics.find(m); it != run.metrics.end()) out += report::csv_number(it->second);
      }
      out += "\n";
    }
  }
  return out;
}

std::string sweep_json(const SweepDefinition& d, const std::vector<PointRecord>& records) {
  sim::JsonBlock o('{', 0);
  o.member("gilsim", sim::json_string(GILSIM_VERSION));
  o.member("scenario", sim::json_string(d.scenario));
  o.member("seed", std::to_string(d.base_seed));
  o.member("replications", std::to_string(d.replications));
  sim::JsonBlock axes('[', o.inner());
  for (const auto& a : d.axes) {
    std::string values = "[";
    for (std::size_t i = 0; i < a.values.size(); ++i)
      values += (i ? ", " : "") + param_json(param_value(a.values[i]));
    axes.element("{\"path\": " + sim::json_string(a.path) + ", \"values\": " + values + "]}");
  }
  o.member("axes", axes.str());
  o.member("points", std::to_string(d.points()));
  sim::JsonBlock rows('[', o.inner());
  for (const auto& r : records) {
    const std::string params = params_json(d, r.point);
    for (const auto& run : r.runs) {
      sim::JsonBlock row('{', rows.inner());
      row.member("variant", sim::json_string(run.variant));
      row.member("point", std::to_string(r.point));
      row.member("replication", std::to_string(run.replication));
      row.member("seed", std::to_string(run.seed));
      row.member("params", params);
      sim::JsonBlock metrics('{', row.inner());
      for (const auto& [name, value] : run.metrics) metrics.member(name, sim::json_number(value));
      row.member("metrics", metrics.str());
      rows.element(row.str());
    }
  }
  o.member("rows", rows.str());
  return o.str() + "\n";
}

}  // namespace analysis
