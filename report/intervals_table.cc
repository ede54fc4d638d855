// The terminal's table of a run with replications: every metric's mean and
// 95 % interval, a row per metric and a column per variant.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <set>

#include "report/report.h"

namespace report {

namespace {
// Two significant digits: an interval's width is itself uncertain.
std::string half_width(double w) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2g", w);
  return buf;
}

// Metrics that are durations in seconds (docs/scenarios.md's metric table),
// shown in milliseconds as the run's other tables show times. By the last
// part of the name: `requests.api.p50` and `wall` are; `cores.busy_max` and
// `requests.api.queue_max` are not.
bool is_seconds(const std::string& name) {
  static const std::set<std::string> kTimes = {"wall", "p50", "p90", "p99", "mean", "latency_mean",
                                               "latency_max", "latency", "wait", "end"};
  const std::size_t dot = name.rfind('.');
  const std::string last = dot == std::string::npos ? name : name.substr(dot + 1);
  if (last == "max") return name.rfind("requests.", 0) == 0;
  return kTimes.count(last) > 0;
}
}  // namespace

void print_intervals(std::ostream& out, const ScenarioResult& r, const Style& style) {
  // Per-thread metrics are many (nine per thread): their means are in the
  // thread tables, their intervals in --json and --csv.
  std::set<std::string> names;
  for (const auto& run : r.runs)
    for (const auto& [name, m] : run.intervals)
      if (name.rfind("threads.", 0) != 0) names.insert(name);
  std::vector<std::string> header = {"mean +- 95% CI half-width"};
  std::vector<TextTable::Align> align = {TextTable::Align::Left};
  for (const auto& run : r.runs) {
    header.push_back(run.name);
    align.push_back(TextTable::Align::Right);
  }
  TextTable table(header, align);
  for (const auto& name : names) {
    std::vector<std::string> row = {name};
    for (const auto& run : r.runs) {
      auto it = run.intervals.find(name);
      if (it == run.intervals.end()) {
        row.emplace_back("-");
        continue;
      }
      // Times under 10 s in ms, longer ones in s.
      const bool ms = is_seconds(name) && std::fabs(it->second.mean) < 10;
      const double scale = ms ? 1000 : 1;
      const std::string unit = ms ? " ms" : is_seconds(name) ? " s" : "";
      if (it->second.half_width == 0 || std::isnan(it->second.half_width))
        row.push_back(format_value(it->second.mean * scale) + unit);
      else
        row.push_back(format_value(it->second.mean * scale) + " +- " + half_width(it->second.half_width * scale) + unit);
    }
    table.add_row(std::move(row));
  }
  out << "  " << style.bold("over " + std::to_string(r.replications) + " replications") << "\n";
  table.print(out, style, "  ");
}

}  // namespace report
