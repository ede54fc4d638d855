#include "analysis/sweep_table.h"

#include <algorithm>
#include <array>
#include <string_view>

namespace analysis {

namespace {

constexpr std::size_t kMaxMetricColumns = 6;

// Metrics in seconds, by their last name part (models/metrics.cc names them).
bool is_duration(const std::string& name) {
  static constexpr std::array<std::string_view, 16> kSeconds = {
      "wall", "cpu", "end", "gil_wait", "io", "lock_wait", "max", "mean",
      "native", "p50", "p90", "p99", "python", "runnable", "sleep", "wait"};
  const std::size_t dot = name.rfind('.');
  const std::string_view last = dot == std::string::npos ? std::string_view(name) : std::string_view(name).substr(dot + 1);
  return std::find(kSeconds.begin(), kSeconds.end(), last) != kSeconds.end();
}

bool reported(const std::vector<PointRecord>& records, const std::string& name) {
  for (const PointRecord& p : records)
    for (const RunRecord& r : p.runs)
      if (r.metrics.find(name)) return true;
  return false;
}

}  // namespace

std::vector<std::string> sweep_table_columns(const std::vector<PointRecord>& records,
                                             const std::vector<std::string>& wanted) {
  static const std::vector<std::string> kDefaults = {"wall", "cores.busy_avg", "gil.handoffs",
                                                     "requests.throughput", "requests.p99"};
  std::vector<std::string> columns;
  for (const std::string& name : wanted.empty() ? kDefaults : wanted) {
    if (columns.size() == kMaxMetricColumns) break;
    if (reported(records, name)) columns.push_back(name);
  }
  return columns;
}

void print_sweep_table(std::ostream& out, const SweepDefinition& definition,
                       const std::vector<PointRecord>& records, const SweepTableOptions& options,
                       const report::Style& style) {
  const std::vector<std::string> columns = sweep_table_columns(records, options.metrics);
  std::vector<std::string> header;
  std::vector<report::TextTable::Align> align;
  for (const loader::SweepAxis& axis : definition.axes) {
    header.push_back(axis.path);
    align.push_back(report::TextTable::Align::Right);
  }
  header.push_back("variant");
  align.push_back(report::TextTable::Align::Left);
  for (const std::string& c : columns) {
    header.push_back(definition.replications > 1 ? c + " (mean)" : c);
    align.push_back(report::TextTable::Align::Right);
  }
  report::TextTable table(header, align);

  std::size_t rows = 0, left_out = 0;
  for (const PointRecord& p : records) {
    const std::vector<std::size_t> at = definition.coordinates(p.point);
    // The runs are by variant, then replication: one row per variant.
    for (std::size_t first = 0; first < p.runs.size();) {
      std::size_t last = first;
      while (last < p.runs.size() && p.runs[last].variant == p.runs[first].variant) ++last;
      if (rows == options.max_rows) {
        ++left_out;
        first = last;
        continue;
      }
      std::vector<std::string> cells;
      const std::string& variant = p.runs[first].variant;
      for (std::size_t k = 0; k < definition.axes.size(); ++k)
        cells.push_back(definition.reaches(k, variant) ? definition.axes[k].values[at[k]].text : style.dash());
      cells.push_back(variant);
      for (const std::string& c : columns) {
        double sum = 0;
        std::size_t n = 0;
        for (std::size_t i = first; i < last; ++i)
          if (const double* v = p.runs[i].metrics.find(c)) {
            sum += *v;
            ++n;
          }
        if (n == 0) {
          cells.push_back(style.dash());
          continue;
        }
        const double mean = sum / static_cast<double>(n);
        cells.push_back(is_duration(c) ? report::format_duration(mean) : report::format_value(mean));
      }
      table.add_row(std::move(cells));
      ++rows;
      first = last;
    }
  }
  table.print(out, style, "  ");
  if (left_out > 0)
    out << "  ... and " << left_out << " more row" << (left_out == 1 ? "" : "s")
        << (options.rest_in.empty() ? "" : " in " + options.rest_in) << "\n";
}

}  // namespace analysis
