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
      } else if (it->second.half_width == 0 || std::isnan(it->second.half_width)) {
        row.push_back(format_value(it->second.mean));
      } else {
        row.push_back(format_value(it->second.mean) + " +- " + half_width(it->second.half_width));
      }
    }
    table.add_row(std::move(row));
  }
  out << "  " << style.bold("over " + std::to_string(r.replications) + " replications") << "\n";
  table.print(out, style, "  ");
}

}  // namespace report
