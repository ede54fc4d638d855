#include "analysis/sweep_definition.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cstdio>
#include <stdexcept>

#include "report/report.h"

namespace analysis {

std::size_t SweepDefinition::points() const {
  std::size_t n = 1;
  for (const auto& a : axes) n *= a.values.size();
  return n;
}

std::vector<std::size_t> SweepDefinition::coordinates(std::size_t index) const {
  std::vector<std::size_t> c(axes.size());
  for (std::size_t k = axes.size(); k-- > 0;) {
    c[k] = index % axes[k].values.size();
    index /= axes[k].values.size();
  }
  return c;
}

bool SweepDefinition::reaches(std::size_t axis, const std::string& variant) const {
  if (axis >= unreached.size()) return true;
  const auto& u = unreached[axis];
  return std::find(u.begin(), u.end(), variant) == u.end();
}

std::string SweepDefinition::describe_point(std::size_t index) const {
  const auto c = coordinates(index);
  std::string out;
  for (std::size_t k = 0; k < axes.size(); ++k)
    out += (k ? ", " : "") + axes[k].path + "=" + loader::yaml_spelling(axes[k].values[c[k]]);
  return out;
}

std::uint64_t fnv1a64(std::string_view text) {
  std::uint64_t h = 14695981039346656037ull;
  for (unsigned char c : text) {
    h ^= c;
    h *= 1099511628211ull;
  }
  return h;
}

namespace {

std::string hex64(std::uint64_t v) {
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(v));
  return buf;
}

std::string string_list(const std::vector<std::string>& items) {
  std::string out = "[";
  for (std::size_t i = 0; i < items.size(); ++i) out += (i ? ", " : "") + sim::json_string(items[i]);
  return out + "]";
}

}  // namespace

std::string manifest_json(const SweepDefinition& d) {
  sim::JsonBlock m('{', 0);
  m.member("gilsim", sim::json_string(GILSIM_VERSION));
  m.member("scenario", sim::json_string(d.scenario));
  m.member("file_hash", sim::json_string("fnv1a64:" + hex64(d.file_hash)));
  sim::JsonBlock axes('[', m.inner());
  for (std::size_t k = 0; k < d.axes.size(); ++k) {
    const auto& a = d.axes[k];
    // Values as YAML writes them, so that "3.12" (a string) stays apart from 3.12.
    std::vector<std::string> values;
    for (const auto& v : a.values) values.push_back(loader::yaml_spelling(v));
    // Only when some variant is not reached: the manifests of other sweeps
    // stay as they were, and their state directories resume.
    const bool all_reached = k >= d.unreached.size() || d.unreached[k].empty();
    axes.element("{\"path\": " + sim::json_string(a.path) + ", \"values\": " + string_list(values) +
                 (all_reached ? "" : ", \"unreached\": " + string_list(d.unreached[k])) + "}");
  }
  m.member("axes", axes.str());
  m.member("replications", std::to_string(d.replications));
  m.member("variants", string_list(d.variants));
  m.member("seed", std::to_string(d.base_seed));
  m.member("points", std::to_string(d.points()));
  return m.str() + "\n";
}

namespace {

YAML::Node field(const YAML::Node& root, const char* key) {
  const YAML::Node n = root[key];
  if (!n.IsDefined()) throw std::runtime_error(std::string("it has no '") + key + "'");
  return n;
}

}  // namespace

SweepDefinition read_manifest(const std::string& text) {
  try {
    const YAML::Node root = YAML::Load(text);  // JSON is YAML
    if (!root.IsMap()) throw std::runtime_error("it is not a JSON object");
    SweepDefinition d;
    d.scenario = field(root, "scenario").as<std::string>();
    const std::string hash = field(root, "file_hash").as<std::string>();
    d.file_hash = std::stoull(hash.substr(hash.find(':') + 1), nullptr, 16);
    for (const auto& a : field(root, "axes")) {
      loader::SweepAxis axis;
      axis.path = field(a, "path").as<std::string>();
      for (const auto& v : field(a, "values"))
        axis.values.push_back(loader::axis_value(YAML::Load(v.as<std::string>())));
      d.axes.push_back(std::move(axis));
      d.unreached.push_back(a["unreached"] ? a["unreached"].as<std::vector<std::string>>()
                                           : std::vector<std::string>());
    }
    d.replications = field(root, "replications").as<int>();
    d.variants = field(root, "variants").as<std::vector<std::string>>();
    d.base_seed = field(root, "seed").as<std::uint64_t>();
    return d;
  } catch (const YAML::Exception& e) {
    throw std::runtime_error(e.msg);
  } catch (const std::logic_error& e) {  // stoull
    throw std::runtime_error(std::string("a bad file_hash: ") + e.what());
  }
}

std::string manifest_difference(const std::string& there, const std::string& here) {
  if (there == here) return {};
  YAML::Node a, b;
  try {
    a = YAML::Load(there);
    b = YAML::Load(here);
  } catch (const YAML::Exception&) {
    return "the existing manifest is not valid JSON";
  }
  if (!a.IsMap()) return "the existing manifest is not a JSON object";
  auto flat = [](const YAML::Node& n) {
    if (!n.IsDefined()) return std::string("(none)");
    YAML::Emitter e;
    e.SetMapFormat(YAML::Flow);
    e.SetSeqFormat(YAML::Flow);
    e << n;
    return std::string(e.c_str());
  };
  const YAML::Node& old = a;  // const: looking up a key must not add it
  for (const auto& kv : b) {
    const std::string key = kv.first.Scalar();
    const std::string x = flat(old[key]), y = flat(kv.second);
    if (x != y) return key + ": " + x + " there, " + y + " here";
  }
  return "the files differ";
}

}  // namespace analysis
