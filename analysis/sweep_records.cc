#include "analysis/sweep_records.h"

#include <fnmatch.h>
#include <simdjson.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <map>
#include <set>
#include <stdexcept>
#include <string_view>
#include <utility>

#include "loader/input_error.h"

#include "loader/durations.h"
#include "report/confidence.h"
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
void append_exact_number(std::string& out, double v) {
  if (std::isfinite(v)) sim::append_json_number(out, v);
  else sim::append_json_string(out, report::csv_number(v));
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

// ---------------------------------------------------------------------------
// Metric sets

MetricSet::MetricSet(const std::map<std::string, double>& metrics) {
  auto names = std::make_shared<Names>();
  names->reserve(metrics.size());
  values_.reserve(metrics.size());
  for (const auto& [name, value] : metrics) {
    names->push_back(name);
    values_.push_back(value);
  }
  names_ = std::move(names);
}

const double* MetricSet::find(const std::string& name) const {
  const auto it = std::lower_bound(names_->begin(), names_->end(), name);
  if (it == names_->end() || *it != name) return nullptr;
  return &values_[static_cast<std::size_t>(it - names_->begin())];
}

double MetricSet::at(const std::string& name) const {
  if (const double* v = find(name)) return *v;
  throw std::out_of_range("no metric '" + name + "'");
}

bool MetricFilter::keeps(const std::string& name) const {
  if (patterns_.empty()) return true;
  for (const auto& p : patterns_)
    if (fnmatch(p.c_str(), name.c_str(), 0) == 0) return true;
  return false;
}

std::vector<std::string> MetricFilter::unmatched(const std::vector<std::string>& names) const {
  std::vector<std::string> out;
  for (const auto& p : patterns_) {
    const bool any = std::any_of(names.begin(), names.end(),
                                 [&](const std::string& n) { return fnmatch(p.c_str(), n.c_str(), 0) == 0; });
    if (any) continue;
    std::string what = "'" + p + "'";
    const std::string close = loader::closest_match(p, names);
    if (!close.empty()) what += " (did you mean '" + close + "'?)";
    out.push_back(what);
  }
  return out;
}

std::vector<std::string> parse_metric_patterns(std::string_view text) {
  std::vector<std::string> out;
  std::size_t start = 0;
  for (;;) {
    const std::size_t comma = text.find(',', start);
    const std::string_view part = text.substr(start, comma == std::string_view::npos ? comma : comma - start);
    if (part.empty())
      throw std::invalid_argument("--metrics wants glob patterns of metric names separated by commas, like "
                                  "'wall,gil.*', not '" + std::string(text) + "'");
    out.emplace_back(part);
    if (comma == std::string_view::npos) return out;
    start = comma + 1;
  }
}

template <typename NameAt>
const MetricNameSets::Kept& MetricNameSets::entry(std::size_t count, NameAt name_at) {
  std::uint64_t hash = 14695981039346656037ull;  // FNV-1a over the names, each ended by a 0
  for (std::size_t i = 0; i < count; ++i) {
    for (unsigned char c : std::string_view(name_at(i))) hash = (hash ^ c) * 1099511628211ull;
    hash *= 1099511628211ull;
  }
  std::lock_guard<std::mutex> lock(mutex_);
  auto [first, last] = sets_.equal_range(hash);
  for (auto it = first; it != last; ++it) {
    const MetricSet::Names& all = *it->second.all;
    if (all.size() != count) continue;
    std::size_t i = 0;
    while (i < count && all[i] == name_at(i)) ++i;
    if (i == count) return it->second;
  }
  Kept k;
  auto all = std::make_shared<MetricSet::Names>();
  auto kept = std::make_shared<MetricSet::Names>();
  for (std::size_t i = 0; i < count; ++i) {
    all->emplace_back(name_at(i));
    if (filter_.keeps(all->back())) {
      kept->push_back(all->back());
      k.index.push_back(i);
    }
  }
  const bool every = kept->size() == all->size();
  k.all = std::move(all);
  k.kept = every ? k.all : std::move(kept);  // all kept: one list, one address
  const Kept& made = sets_.emplace(hash, std::move(k))->second;
  by_address_.emplace(made.all.get(), &made);
  by_address_.emplace(made.kept.get(), &made);
  return made;
}

MetricSet MetricNameSets::share(const std::map<std::string, double>& metrics) {
  std::vector<const std::pair<const std::string, double>*> items;
  items.reserve(metrics.size());
  for (const auto& kv : metrics) items.push_back(&kv);
  const Kept& k = entry(items.size(), [&](std::size_t i) -> const std::string& { return items[i]->first; });
  std::vector<double> values;
  values.reserve(items.size());
  for (const auto* kv : items) values.push_back(kv->second);
  return MetricSet(k.all, std::move(values));
}

MetricSet MetricNameSets::keep(const std::map<std::string, double>& metrics) { return keep(share(metrics)); }

MetricSet MetricNameSets::keep(const MetricSet& metrics) {
  const Kept* known = nullptr;
  {
    // The names of a set this object made: found by their address, not compared.
    std::lock_guard<std::mutex> lock(mutex_);
    const auto it = by_address_.find(metrics.names().get());
    if (it != by_address_.end()) known = it->second;
  }
  const Kept& k = known ? *known
                        : entry(metrics.size(), [&](std::size_t i) -> const std::string& { return metrics.name(i); });
  if (k.index.size() == metrics.size()) return MetricSet(k.kept, metrics.values());
  std::vector<double> values;
  values.reserve(k.index.size());
  for (std::size_t i : k.index) values.push_back(metrics.value(i));
  return MetricSet(k.kept, std::move(values));
}

std::vector<std::string> MetricNameSets::all_names() {
  std::lock_guard<std::mutex> lock(mutex_);
  std::set<std::string> all;
  for (const auto& [hash, k] : sets_) all.insert(k.all->begin(), k.all->end());
  return std::vector<std::string>(all.begin(), all.end());
}

// ---------------------------------------------------------------------------
// Point files

std::string point_json(const SweepDefinition& d, const PointRecord& r) {
  // sim::JsonBlock's layout, written into one string: a point has thousands
  // of metrics, and a string per member was a third of a sweep's time.
  std::string out = "{\n  \"point\": " + std::to_string(r.point) + ",\n  \"params\": " + params_json(d, r.point) +
                    ",\n  \"runs\": ";
  if (r.runs.empty()) out += "[]";
  for (std::size_t i = 0; i < r.runs.size(); ++i) {
    const RunRecord& run = r.runs[i];
    out += i == 0 ? "[\n    {\n" : ",\n    {\n";
    out.append("      \"variant\": ").append(sim::json_string(run.variant)).append(",\n");
    out.append("      \"replication\": ").append(std::to_string(run.replication)).append(",\n");
    out.append("      \"seed\": ").append(std::to_string(run.seed)).append(",\n");
    out.append("      \"finished\": ").append(run.finished ? "true" : "false").append(",\n");
    out.append("      \"metrics\": ");
    if (run.metrics.size() == 0) out += "{}";
    for (std::size_t m = 0; m < run.metrics.size(); ++m) {
      out.append(m == 0 ? "{\n        " : ",\n        ");
      sim::append_json_string(out, run.metrics.name(m));
      out.append(": ");
      append_exact_number(out, run.metrics.value(m));
    }
    if (run.metrics.size() > 0) out += "\n      }";
    out += "\n    }";
  }
  if (!r.runs.empty()) out += "\n  ]";
  return out + "\n}\n";
}

namespace {

// Point files are read with simdjson (Debian's libsimdjson-dev), a validating
// JSON parser: resuming or merging a 10,000-point sweep reads 10,000 of them,
// and yaml-cpp (a YAML parser building a node per value) took ~4 ms and
// ~100 KB per file where simdjson takes a few microseconds and no tree.
template <typename T>
T required(simdjson::simdjson_result<T> r, const char* what) {
  T value;
  if (std::move(r).get(value) != simdjson::SUCCESS) throw std::runtime_error(std::string("a bad or missing '") + what + "'");
  return value;
}

// A metric's value: a number, or "nan", "inf", "-inf" (append_exact_number above).
// Read from its text, as written, with from_chars: exact for every double.
double metric_value(simdjson::ondemand::value v, std::string_view name) {
  std::string_view text;
  simdjson::ondemand::json_type type;
  if (v.type().get(type) == simdjson::SUCCESS && type == simdjson::ondemand::json_type::string) {
    if (v.get_string().get(text) != simdjson::SUCCESS) text = {};
  } else {
    text = v.raw_json_token();
    while (!text.empty() && (text.back() == ' ' || text.back() == '\n' || text.back() == '\r' ||
                             text.back() == '\t'))
      text.remove_suffix(1);
  }
  double out = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size())
    throw std::runtime_error("metric '" + std::string(name) + "' is not a number");
  return out;
}

}  // namespace

PointRecord read_point_json(const std::string& text, MetricNameSets* sets) {
  using namespace simdjson;
  thread_local ondemand::parser parser;
  const padded_string json(text);
  PointRecord r;
  bool has_point = false, has_runs = false;
  try {
    ondemand::document doc = parser.iterate(json);
    ondemand::object root;
    if (doc.get_object().get(root) != SUCCESS) throw std::runtime_error("it is not a point file (not a JSON object)");
    for (auto field : root) {
      const std::string_view key = required(field.unescaped_key(), "key");
      if (key == "point") {
        r.point = static_cast<std::size_t>(required(field.value().get_uint64(), "point"));
        has_point = true;
      } else if (key == "runs") {
        has_runs = true;
        for (auto element : required(field.value().get_array(), "runs")) {
          RunRecord run;
          std::map<std::string, double> metrics;
          for (auto f : required(element.get_object(), "runs")) {
            const std::string_view k = required(f.unescaped_key(), "key");
            if (k == "variant") {
              run.variant = std::string(required(f.value().get_string(), "variant"));
            } else if (k == "replication") {
              run.replication = static_cast<int>(required(f.value().get_int64(), "replication"));
            } else if (k == "seed") {
              run.seed = required(f.value().get_uint64(), "seed");
            } else if (k == "finished") {
              run.finished = required(f.value().get_bool(), "finished");
            } else if (k == "metrics") {
              for (auto m : required(f.value().get_object(), "metrics")) {
                std::string name(required(m.unescaped_key(), "metric name"));
                const double v = metric_value(required(m.value(), "metric"), name);
                metrics[std::move(name)] = v;
              }
            }
          }
          run.metrics = sets ? sets->keep(metrics) : MetricSet(metrics);
          r.runs.push_back(std::move(run));
        }
      }
    }
  } catch (const simdjson_error& e) {
    throw std::runtime_error(std::string("not valid JSON: ") + e.what());
  }
  if (!has_point || !has_runs) throw std::runtime_error("it is not a point file (no 'point' or 'runs')");
  return r;
}

// ---------------------------------------------------------------------------
// Results

namespace {

// Collects text and hands it to the sink in pieces of about a megabyte.
class Chunks {
 public:
  explicit Chunks(const TextSink& out) : out_(out) {}
  std::string& text() { return text_; }
  void maybe_flush() {
    if (text_.size() >= (1u << 20)) flush();
  }
  void flush() {
    if (!text_.empty()) out_(text_);
    text_.clear();
  }

 private:
  const TextSink& out_;
  std::string text_;
};

// The metric columns of `records`: the union of their names in byte order,
// and for each distinct name list, the column of each of its names.
struct Columns {
  std::vector<std::string> names;
  std::map<const MetricSet::Names*, std::vector<std::size_t>> of_list;

  explicit Columns(const std::vector<PointRecord>& records) {
    std::set<std::string> all;  // std::string's order is byte order
    for (const auto& r : records)
      for (const auto& run : r.runs)
        if (of_list.emplace(run.metrics.names().get(), std::vector<std::size_t>()).second)
          all.insert(run.metrics.names()->begin(), run.metrics.names()->end());
    names.assign(all.begin(), all.end());
    for (auto& [list, columns] : of_list)
      for (const auto& n : *list)
        columns.push_back(static_cast<std::size_t>(std::lower_bound(names.begin(), names.end(), n) - names.begin()));
  }
};

}  // namespace

void write_sweep_summary_csv(const SweepDefinition& d, const std::vector<PointRecord>& records,
                             const TextSink& sink) {
  Chunks chunks(sink);
  std::string& out = chunks.text();
  out = "scenario,variant,point";
  for (const auto& a : d.axes) out.append(",").append(report::csv_field(a.path));
  out += ",metric,replications,mean,ci95_low,ci95_high\n";
  const std::string scenario = report::csv_field(d.scenario);
  std::vector<std::string> params(d.axes.size());
  for (const auto& r : records) {
    const auto c = d.coordinates(r.point);
    for (std::size_t k = 0; k < d.axes.size(); ++k) params[k] = param_csv(param_value(d.axes[k].values[c[k]]));
    for (const auto& variant : d.variants) {
      // The variant's runs' samples of each metric, by name (byte order).
      std::map<std::string, std::vector<double>> samples;
      for (const auto& run : r.runs)
        if (run.variant == variant)
          for (std::size_t i = 0; i < run.metrics.size(); ++i)
            samples[run.metrics.name(i)].push_back(run.metrics.value(i));
      for (const auto& [metric, values] : samples) {
        out.append(scenario).append(",").append(report::csv_field(variant)).append(",");
        out.append(std::to_string(r.point));
        for (std::size_t k = 0; k < d.axes.size(); ++k) {
          out += ',';
          if (d.reaches(k, variant)) out += params[k];
        }
        out.append(",").append(report::csv_field(metric)).append(",").append(std::to_string(values.size()));
        if (values.size() < 2) {
          out.append(",").append(report::csv_number(values.front())).append(",,\n");
        } else {
          const report::MeanInterval m = report::mean_ci95(values);
          out.append(",").append(report::csv_number(m.mean)).append(",").append(report::csv_number(m.low()));
          out.append(",").append(report::csv_number(m.high())).append("\n");
        }
        chunks.maybe_flush();
      }
    }
  }
  chunks.flush();
}

void write_sweep_csv(const SweepDefinition& d, const std::vector<PointRecord>& records, const TextSink& sink) {
  const Columns columns(records);
  Chunks chunks(sink);
  std::string& out = chunks.text();
  out = "scenario,variant,point,replication,seed";
  // Appended piecewise: GCC 12 warns falsely (-Wrestrict) on "," + string.
  for (const auto& a : d.axes) out.append(",").append(report::csv_field(a.path));
  for (const auto& m : columns.names) out.append(",").append(report::csv_field(m));
  out += "\n";
  const std::string scenario = report::csv_field(d.scenario);
  std::vector<std::string> params(d.axes.size());
  for (const auto& r : records) {
    const auto c = d.coordinates(r.point);
    for (std::size_t k = 0; k < d.axes.size(); ++k) params[k] = param_csv(param_value(d.axes[k].values[c[k]]));
    for (const auto& run : r.runs) {
      out.append(scenario).append(",").append(report::csv_field(run.variant)).append(",");
      out.append(std::to_string(r.point)).append(",").append(std::to_string(run.replication)).append(",");
      out.append(std::to_string(run.seed));
      for (std::size_t k = 0; k < d.axes.size(); ++k) {
        out += ',';
        if (d.reaches(k, run.variant)) out += params[k];
      }
      const std::vector<std::size_t>& at = columns.of_list.at(run.metrics.names().get());
      std::size_t next = 0;  // the next of the run's metrics, by column
      for (std::size_t col = 0; col < columns.names.size(); ++col) {
        out += ',';
        if (next < at.size() && at[next] == col) report::append_csv_number(out, run.metrics.value(next++));
      }
      out += '\n';
      chunks.maybe_flush();
    }
  }
  chunks.flush();
}

void write_sweep_json(const SweepDefinition& d, const std::vector<PointRecord>& records, const TextSink& sink) {
  // The layout sim::JsonBlock gives a whole document, written as it goes:
  // the rows are the last member of the top object.
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
  o.member("rows", "ROWS");
  const std::string whole = o.str();
  const std::size_t hole = whole.rfind("ROWS");
  Chunks chunks(sink);
  std::string& out = chunks.text();
  out = whole.substr(0, hole);
  const int rows_indent = o.inner();
  bool first = true;
  for (const auto& r : records) {
    const auto c = d.coordinates(r.point);
    for (const auto& run : r.runs) {
      out += first ? "[\n" : ",\n";
      first = false;
      std::string params = "{";
      for (std::size_t k = 0; k < d.axes.size(); ++k)
        params.append(k ? ", " : "")
            .append(sim::json_string(d.axes[k].path))
            .append(": ")
            .append(d.reaches(k, run.variant) ? param_json(param_value(d.axes[k].values[c[k]])) : "null");
      params += "}";
      sim::JsonBlock row('{', rows_indent + 2);
      row.member("variant", sim::json_string(run.variant));
      row.member("point", std::to_string(r.point));
      row.member("replication", std::to_string(run.replication));
      row.member("seed", std::to_string(run.seed));
      row.member("params", params);
      // The metrics in sim::JsonBlock's layout, written straight into one
      // string: a block holds a string per member (12 million here).
      std::string metrics = "{";
      const std::string pad(static_cast<std::size_t>(row.inner() + 2), ' ');
      for (std::size_t i = 0; i < run.metrics.size(); ++i) {
        metrics.append(i ? ",\n" : "\n").append(pad);
        sim::append_json_string(metrics, run.metrics.name(i));
        metrics.append(": ");
        sim::append_json_number(metrics, run.metrics.value(i));
      }
      if (run.metrics.size() > 0) metrics.append("\n").append(static_cast<std::size_t>(row.inner()), ' ');
      metrics += '}';
      row.member("metrics", metrics);
      out.append(static_cast<std::size_t>(rows_indent + 2), ' ').append(row.str());
      chunks.maybe_flush();
    }
  }
  out += first ? "[]" : "\n" + std::string(static_cast<std::size_t>(rows_indent), ' ') + "]";
  out += whole.substr(hole + 4) + "\n";
  chunks.flush();
}

std::string sweep_csv(const SweepDefinition& d, const std::vector<PointRecord>& records) {
  std::string out;
  write_sweep_csv(d, records, [&](std::string_view s) { out += s; });
  return out;
}

std::string sweep_json(const SweepDefinition& d, const std::vector<PointRecord>& records) {
  std::string out;
  write_sweep_json(d, records, [&](std::string_view s) { out += s; });
  return out;
}

}  // namespace analysis
