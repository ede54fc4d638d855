#include "app/fit_command.h"

#include <algorithm>
#include <boost/program_options.hpp>
#include <cmath>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "analysis/csv.h"
#include "analysis/fit.h"
#include "app/csv_command.h"
#include "loader/input_error.h"
#include "report/report.h"

namespace app {

namespace {

namespace po = boost::program_options;

struct FitArgs {
  FitRequest request;
  std::string json;
  bool help = false;
};

po::options_description fit_options() {
  po::options_description o("Options of 'gilsim fit'");
  o.add_options()
      ("help,h", "print this help and exit")
      ("x", po::value<std::string>()->value_name("COL"), "the concurrency column (N: workers, threads)")
      ("throughput", po::value<std::string>()->value_name("COL"), "a throughput column (per second)")
      ("time", po::value<std::string>()->value_name("COL"),
       "a wall-time column for a fixed amount of work (fitted as 1/T)")
      ("by", po::value<std::string>()->value_name("COL"), "fit each value of this column apart (default: variant)")
      ("json", po::value<std::string>()->value_name("PATH"), "write the fits as JSON ('-': standard output)");
  return o;
}

FitArgs parse_fit_args(int argc, const char* const* argv) {
  const CsvCommandLine line(argc, argv, fit_options(), "fit");
  FitArgs a;
  a.help = line.help();
  if (a.help) return a;
  FitRequest& r = a.request;
  r.csv = line.csv();
  r.x = line.text("x");
  if (r.x.empty()) throw po::error("'fit' needs --x COL, the concurrency column");
  std::string throughput = line.text("throughput"), time = line.text("time");
  if (throughput.empty() == time.empty())
    throw po::error("'fit' needs exactly one of --throughput COL and --time COL");
  r.y = throughput.empty() ? time : throughput;
  r.kind = throughput.empty() ? analysis::YKind::Time : analysis::YKind::Throughput;
  if (line.has("by")) r.by = line.text("by");
  a.json = line.text("json");
  return a;
}

struct Group {
  std::string name;
  std::vector<analysis::Point> points;
};

// Groups in the order they first appear. Rows whose y cell is empty (a
// variant without that metric) are left out.
std::vector<Group> collect(const analysis::CsvTable& t, int x, int y, int by) {
  std::vector<Group> groups;
  for (const auto& r : t.records) {
    if (r.fields[y].empty()) continue;
    analysis::Point p{number_cell(t, r, x, true, "a fit"), number_cell(t, r, y, true, "a fit")};
    const std::string& g = r.fields[by];
    auto it = std::find_if(groups.begin(), groups.end(), [&](const Group& gr) { return gr.name == g; });
    if (it == groups.end()) {
      groups.push_back({g, {}});
      it = groups.end() - 1;
    }
    it->points.push_back(p);
  }
  return groups;
}

struct GroupFit {
  std::string group;
  analysis::Fit fit;
};

std::string fits_json(const std::vector<GroupFit>& fits, const FitRequest& a) {
  std::string out = "{\"fits\": [";
  for (std::size_t i = 0; i < fits.size(); ++i) {
    const auto& f = fits[i].fit;
    out += i ? ",\n  " : "\n  ";
    out += "{\"group\": " + sim::json_string(fits[i].group) + ", \"x\": " + sim::json_string(a.x) +
           ", \"y\": " + sim::json_string(a.y) + ", \"y_kind\": " + sim::json_string(analysis::y_kind_name(a.kind)) +
           ", \"model\": " + sim::json_string(analysis::model_name(f.model)) +
           ", \"lambda\": " + sim::json_number(f.lambda) + ", \"sigma\": " + sim::json_number(f.sigma) +
           ", \"kappa\": " + sim::json_number(f.kappa) + ", \"r_squared\": " + sim::json_number(f.r_squared) +
           ", \"poor_fit\": " + (f.poor() ? "true" : "false") +
           ", \"rmse\": " + sim::json_number(f.rmse) + ", \"points\": " + std::to_string(f.points) +
           ", \"peak_n\": " + sim::json_number(f.peak_n) + ", \"peak_x\": " + sim::json_number(f.peak_x) + "}";
  }
  return out + (fits.empty() ? "]}\n" : "\n]}\n");
}

std::string cell(double v) {
  if (std::isinf(v)) return "inf";
  if (std::isnan(v)) return "-";
  return report::format_value(v);
}

void print_table(std::ostream& out, const std::vector<GroupFit>& fits, const FitRequest& a, bool tty) {
  using Align = report::TextTable::Align;
  report::TextTable table({a.by, "model", "lambda", "sigma", "kappa", "R^2", "RMSE", "N*", "X(N*)", "points"},
                  {Align::Left, Align::Left, Align::Right, Align::Right, Align::Right, Align::Right,
                   Align::Right, Align::Right, Align::Right, Align::Right});
  for (const auto& g : fits) {
    const auto& f = g.fit;
    bool usl = f.model == analysis::Model::Usl;
    table.add_row({g.group, analysis::model_name(f.model), cell(f.lambda), cell(f.sigma),
                   usl ? cell(f.kappa) : "-", cell(f.r_squared), cell(f.rmse), usl ? cell(f.peak_n) : "-",
                   usl ? cell(f.peak_x) : "-", std::to_string(f.points)});
  }
  out << "fits of " << a.y << (a.kind == analysis::YKind::Time ? " (as throughput 1/" + a.y + ")" : "")
      << " against " << a.x << ", " << a.csv << "\n";
  table.print(out, report::Style{tty});
  out << "lambda: throughput of one worker, per second; sigma: serial fraction (1: fully serialised,\n"
         "as CPU-bound threads under the GIL); kappa: cross-talk between workers; N*: where the\n"
         "USL throughput peaks (inf: no peak, it tends to lambda/sigma); R^2 and RMSE on the\n"
         "throughput scale.\n";
}

}  // namespace

const char* fit_usage() {
  return "  gilsim fit CSV --x COL (--throughput COL | --time COL) [--by COL] [--json PATH]\n";
}

std::optional<std::string> fit_csv(const FitRequest& a, std::ostream& table_out, bool tty, std::ostream& err) {
  const analysis::CsvTable t = read_csv_input(a.csv);
  int x = require_column(t, a.x, a.setting_prefix + "x");
  int y = require_column(t, a.y, a.setting_prefix + (a.kind == analysis::YKind::Time ? "time" : "throughput"));
  int by = require_column(t, a.by, a.setting_prefix + "by");

  std::vector<GroupFit> fits;
  bool all_ok = true;
  for (const auto& g : collect(t, x, y, by)) {
    for (auto model : {analysis::Model::Amdahl, analysis::Model::Usl}) {
      analysis::Fit f = analysis::fit_scalability(model, g.points, a.kind);
      if (!f.ok()) {
        err << "gilsim: " << a.csv << ": " << a.by << " '" << g.name << "', " << analysis::model_name(model)
            << ": " << f.error << "\n";
        all_ok = false;
        continue;
      }
      if (f.poor())
        err << "gilsim: warning: " << a.csv << ": " << a.by << " '" << g.name << "', " << analysis::model_name(model)
            << ": R^2 = " << report::format_value(f.r_squared) << " < " << analysis::Fit::kPoorFitRSquared
            << ": the model explains little of these points' variation (a flat or noisy throughput?); read its coefficients with care\n";
      fits.push_back({g.name, f});
    }
  }
  if (fits.empty() && all_ok) {
    err << "gilsim: " << a.csv << ": no row has a value in column '" << a.y << "'\n";
    return std::nullopt;
  }
  print_table(table_out, fits, a, tty);
  if (!all_ok) return std::nullopt;
  return fits_json(fits, a);
}

int run_fit_command(int argc, const char* const* argv, const Console& c) {
  FitArgs a = parse_fit_args(argc, argv);
  if (a.help) {
    c.out << "Usage:\n" << fit_usage() << "\n" << fit_options()
          << "\nExample:\n  gilsim fit sweep-c2/results.csv --x threads.0.count --time wall\n";
    return kExitOk;
  }
  return run_csv_analysis(a.json, "fits", c, [&](std::ostream& table, bool tty) {
    return fit_csv(a.request, table, tty, c.err);
  });
}

}  // namespace app
