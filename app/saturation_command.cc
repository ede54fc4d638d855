#include "app/saturation_command.h"

#include <algorithm>
#include <boost/program_options.hpp>
#include <cmath>
#include <cstdlib>
#include <optional>
#include <string>
#include <vector>

#include "analysis/csv.h"
#include "analysis/saturation.h"
#include "app/csv_command.h"
#include "loader/input_error.h"
#include "report/report.h"

namespace app {

namespace {

namespace po = boost::program_options;


struct SaturationArgs {
  loader::SaturationRequest request;
  std::string json;
  bool help = false;
};

po::options_description saturation_options() {
  po::options_description o("Options of 'gilsim saturation'");
  o.add_options()
      ("help,h", "print this help and exit")
      ("load", po::value<std::string>()->value_name("COL"),
       "the column of the swept load: an arrival rate axis (requests per second)")
      ("slo", po::value<std::vector<std::string>>()->value_name("METRIC=DURATION"),
       "a latency objective, like p99=200ms (METRIC: p50, p90, p99, max, mean); repeatable")
      ("metrics", po::value<std::string>()->value_name("PREFIX"),
       "whose metrics: requests (default: all streams), requests.STREAM or requests.STREAM.TYPE")
      ("goodput", "compare the goodput (responses to a client still waiting) with the offered load, "
                  "not the throughput")
      ("tolerance", po::value<std::string>()->value_name("F"),
       "saturated where throughput < (1 - F) x offered load (default 0.05)")
      ("by", po::value<std::string>()->value_name("COL"), "analyse each value of this column apart (default: variant)")
      ("json", po::value<std::string>()->value_name("PATH"), "write the results as JSON ('-': standard output)");
  return o;
}

SaturationArgs parse_saturation_args(int argc, const char* const* argv) {
  const CsvCommandLine line(argc, argv, saturation_options(), "saturation");
  SaturationArgs a;
  a.help = line.help();
  if (a.help) return a;
  loader::SaturationRequest& r = a.request;
  r.csv = line.csv();
  r.load = line.text("load");
  if (r.load.empty()) throw po::error("'saturation' needs --load COL, the column of the swept arrival rate");
  if (line.has("metrics")) r.metrics = line.text("metrics");
  if (line.has("by")) r.by = line.text("by");
  r.goodput = line.has("goodput");
  if (line.has("tolerance")) {
    const std::string t = line.text("tolerance");
    char* end = nullptr;
    const double v = std::strtod(t.c_str(), &end);
    if (end != t.c_str() + t.size() || !(v >= 0 && v < 1))
      throw po::error("--tolerance wants a fraction at least 0 and below 1, like 0.05, not '" + t + "'");
    r.tolerance = v;
  }
  if (line.has("slo"))
    for (const auto& s : line.values()["slo"].as<std::vector<std::string>>()) {
      auto o = loader::parse_objective(s);
      if (!o.ok()) throw po::error("--slo " + s + ": " + o.problem);
      r.objectives.push_back(o.value);
    }
  a.json = line.text("json");
  return a;
}

struct Group {
  std::string name;
  std::vector<analysis::LoadPoint> points;
};

struct GroupResult {
  std::string group;
  analysis::Saturation saturation;
};

std::string cell(double v) { return std::isnan(v) ? "-" : report::format_value(v); }

// "49.5 (45..60)", "> 300", "<= 10".
std::string crossing_cell(const analysis::Crossing& c) {
  switch (c.where) {
    case analysis::Crossing::Where::Beyond:
      return "> " + cell(c.lo);
    case analysis::Crossing::Where::Below:
      return "<= " + cell(c.hi);
    case analysis::Crossing::Where::Between:
      break;
  }
  return cell(c.at) + " (" + cell(c.lo) + ".." + cell(c.hi) + ")";
}

std::string crossing_json(const analysis::Crossing& c) {
  using W = analysis::Crossing::Where;
  return "\"where\": " + sim::json_string(analysis::where_name(c.where)) + ", \"at\": " + sim::json_number(c.at) +
         ", \"lo\": " + (c.where == W::Below ? "null" : sim::json_number(c.lo)) +
         ", \"hi\": " + (c.where == W::Beyond ? "null" : sim::json_number(c.hi));
}

std::string results_json(const std::vector<GroupResult>& results, const loader::SaturationRequest& a) {
  std::string out = "{\"saturation\": {\"load\": " + sim::json_string(a.load) + ", \"metrics\": " +
                    sim::json_string(a.metrics) + ", \"served\": " +
                    sim::json_string(a.goodput ? "goodput" : "throughput") +
                    ", \"tolerance\": " + sim::json_number(a.tolerance) + ", \"groups\": [";
  for (std::size_t i = 0; i < results.size(); ++i) {
    const auto& s = results[i].saturation;
    out += i ? ",\n  " : "\n  ";
    out += "{\"group\": " + sim::json_string(results[i].group) + ", \"capacity\": " + sim::json_number(s.capacity) +
           ", \"capacity_load\": " + sim::json_number(s.capacity_load) +
           ", \"at_highest_load\": " + sim::json_number(s.at_highest) + ", \"saturates\": {" +
           crossing_json(s.saturates) + "}, \"objectives\": [";
    for (std::size_t k = 0; k < a.objectives.size(); ++k)
      out += std::string(k ? ", " : "") + "{\"metric\": " + sim::json_string(a.objectives[k].metric) +
             ", \"limit\": " + sim::json_number(a.objectives[k].limit) + ", " + crossing_json(s.objectives[k]) + "}";
    out += "], \"loads\": " + std::to_string(s.loads) + ", \"points\": " + std::to_string(s.points) + "}";
  }
  return out + (results.empty() ? "]}}\n" : "\n]}}\n");
}

void print_table(std::ostream& out, const std::vector<GroupResult>& results, const loader::SaturationRequest& a, bool tty) {
  using Align = report::TextTable::Align;
  std::vector<std::string> header = {a.by, "capacity", "at load", "at the highest", "saturates at"};
  for (const auto& o : a.objectives) header.push_back(o.metric + " <= " + o.text + " up to");
  header.push_back("loads");
  header.push_back("runs");
  std::vector<Align> align(header.size(), Align::Right);
  align[0] = Align::Left;
  report::TextTable table(header, align);
  for (const auto& g : results) {
    const auto& s = g.saturation;
    std::vector<std::string> row = {g.group, cell(s.capacity), cell(s.capacity_load), cell(s.at_highest),
                                    crossing_cell(s.saturates)};
    for (const auto& c : s.objectives) row.push_back(crossing_cell(c));
    row.push_back(std::to_string(s.loads));
    row.push_back(std::to_string(s.points));
    table.add_row(std::move(row));
  }
  out << "saturation of " << a.metrics << (a.goodput ? " (goodput)" : "") << " against " << a.load << ", "
      << a.csv << "\n";
  table.print(out, report::Style{tty});
  const int percent = static_cast<int>(std::lround((1 - a.tolerance) * 100));
  const char* const what = a.goodput ? "goodput" : "throughput";
  out << "capacity: the highest " << what
      << " measured (responses per second, mean of the replications), and at which load;\n"
         "at the highest: the "
      << what << " at the highest load swept (below the capacity: the server loses ground past it);\n"
         "saturates at: the load where "
      << what << " falls below "
      << percent
      << " % of the offered load, interpolated\n"
         "between the loads in brackets (the last that keeps up, the first that does not);\n"
         "> L: keeps up at every load swept; <= L: not even at the lowest.";
  if (!a.objectives.empty())
    out << "\nMETRIC <= LIMIT up to: where that latency (mean of the replications) first exceeds the limit.";
  out << "\n";
}

}  // namespace




const char* saturation_usage() {
  return "  gilsim saturation CSV --load COL [--slo METRIC=DURATION]... [--metrics PREFIX] [--goodput]\n"
         "                    [--tolerance F] [--by COL] [--json PATH]\n";
}

std::optional<std::string> saturation_csv(const loader::SaturationRequest& a, std::ostream& table_out, bool tty,
                                          std::ostream& err) {
  const analysis::CsvTable t = read_csv_input(a.csv);
  const std::string& p = a.setting_prefix;
  const int load = require_column(t, a.load, p + "load");
  const int offered = require_column(t, a.metrics + ".offered", p + "metrics");
  const char* const served = a.goodput ? ".goodput" : ".throughput";
  const int throughput = require_column(t, a.metrics + served, p + "metrics");
  std::vector<int> latencies;
  for (const auto& o : a.objectives)
    latencies.push_back(require_column(t, a.metrics + "." + o.metric, p + "slo." + o.metric));
  const int by = require_column(t, a.by, p + "by");

  // Groups in the order they first appear; rows without the offered load
  // (a variant that serves no requests) are left out.
  std::vector<Group> groups;
  const std::string need = "the saturation analysis";
  for (const auto& r : t.records) {
    if (r.fields[offered].empty()) continue;
    analysis::LoadPoint point{number_cell(t, r, load, false, need), number_cell(t, r, offered, false, need),
                              number_cell(t, r, throughput, false, need), {}};
    for (int col : latencies) point.latencies.push_back(number_cell(t, r, col, false, need));
    const std::string& g = r.fields[by];
    auto it = std::find_if(groups.begin(), groups.end(), [&](const Group& gr) { return gr.name == g; });
    if (it == groups.end()) {
      groups.push_back({g, {}});
      it = groups.end() - 1;
    }
    it->points.push_back(std::move(point));
  }
  if (groups.empty()) {
    err << "gilsim: " << a.csv << ": no row has a value in column '" << a.metrics << ".offered'\n";
    return std::nullopt;
  }
  std::vector<double> limits;
  for (const auto& o : a.objectives) limits.push_back(o.limit);
  std::vector<GroupResult> results;
  bool all_ok = true;
  for (const auto& g : groups) {
    analysis::Saturation s = analysis::find_saturation(g.points, a.tolerance, limits);
    if (!s.ok()) {
      err << "gilsim: " << a.csv << ": " << a.by << " '" << g.name << "': " << s.error << "\n";
      all_ok = false;
      continue;
    }
    results.push_back({g.name, std::move(s)});
  }
  print_table(table_out, results, a, tty);
  if (!all_ok) return std::nullopt;
  return results_json(results, a);
}

int run_saturation_command(int argc, const char* const* argv, const Console& c) {
  SaturationArgs a = parse_saturation_args(argc, argv);
  if (a.help) {
    c.out << "Usage:\n" << saturation_usage() << "\n" << saturation_options()
          << "\nExample:\n  gilsim saturation sweep-api/results.csv --load requests.0.arrival.poisson --slo "
             "p99=100ms\n";
    return kExitOk;
  }
  return run_csv_analysis(a.json, "results", c, [&](std::ostream& table, bool tty) {
    return saturation_csv(a.request, table, tty, c.err);
  });
}

}  // namespace app
