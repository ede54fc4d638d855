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
#include "app/input_error.h"
#include "app/report.h"
#include "sim/output_file.h"

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
  po::options_description all = fit_options();
  all.add_options()("csv", po::value<std::vector<std::string>>());
  po::positional_options_description positional;
  positional.add("csv", -1);
  int style = po::command_line_style::default_style & ~po::command_line_style::allow_guessing;
  po::variables_map vm;
  po::store(po::command_line_parser(argc, argv).options(all).positional(positional).style(style).run(),
            vm);
  FitArgs a;
  a.help = vm.count("help") > 0;
  if (a.help) return a;
  auto text = [&](const char* name) {
    if (!vm.count(name)) return std::string();
    std::string v = vm[name].as<std::string>();
    if (v.empty()) throw po::error(std::string("--") + name + " wants a value, not an empty string");
    return v;
  };
  std::vector<std::string> files;
  if (vm.count("csv")) files = vm["csv"].as<std::vector<std::string>>();
  if (files.size() != 1)
    throw po::error("'fit' takes exactly one CSV file (a sweep's results), got " + std::to_string(files.size()));
  FitRequest& r = a.request;
  r.csv = files[0];
  r.x = text("x");
  if (r.x.empty()) throw po::error("'fit' needs --x COL, the concurrency column");
  std::string throughput = text("throughput"), time = text("time");
  if (throughput.empty() == time.empty())
    throw po::error("'fit' needs exactly one of --throughput COL and --time COL");
  r.y = throughput.empty() ? time : throughput;
  r.kind = throughput.empty() ? analysis::YKind::Time : analysis::YKind::Throughput;
  if (vm.count("by")) r.by = text("by");
  a.json = text("json");
  return a;
}

[[noreturn]] void throw_csv_error(const analysis::CsvError& e) {
  throw InputError(SourcePos{e.file(), e.line(), e.column()}, e.message(), e.source_line());
}

// The column's index; an unknown name is an error at the header with a
// "did you mean" among the header's columns.
int require_column(const analysis::CsvTable& t, const std::string& name, const std::string& setting) {
  int i = t.column(name);
  if (i >= 0) return i;
  std::string message = setting + ": no column '" + name + "' in the header";
  std::string close = closest_match(name, t.header);
  if (!close.empty()) message += "; did you mean '" + close + "'?";
  std::string list;
  for (const auto& h : t.header) list += (list.empty() ? "" : ", ") + h;
  throw InputError(SourcePos{t.file, 1, 0}, message + " (columns: " + list + ")", t.line_text(1));
}

struct Group {
  std::string name;
  std::vector<analysis::Point> points;
};

// A cell that must be a positive finite number.
double positive_cell(const analysis::CsvTable& t, const analysis::CsvRecord& r, int col) {
  const std::string& cell = r.fields[col];
  auto v = analysis::parse_number(cell);
  SourcePos pos{t.file, r.line, 0};
  if (!v)
    throw InputError(pos, "column '" + t.header[col] + "': expected a number, found '" + cell + "'",
                     t.line_text(r.line));
  if (!std::isfinite(*v) || *v <= 0)
    throw InputError(pos, "column '" + t.header[col] + "': a fit needs a positive finite number, found " + cell,
                     t.line_text(r.line));
  return *v;
}

// Groups in the order they first appear. Rows whose y cell is empty (a
// variant without that metric) are left out.
std::vector<Group> collect(const analysis::CsvTable& t, int x, int y, int by) {
  std::vector<Group> groups;
  for (const auto& r : t.records) {
    if (r.fields[y].empty()) continue;
    analysis::Point p{positive_cell(t, r, x), positive_cell(t, r, y)};
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
    out += "{\"group\": " + json_string(fits[i].group) + ", \"x\": " + json_string(a.x) +
           ", \"y\": " + json_string(a.y) + ", \"y_kind\": " + json_string(analysis::y_kind_name(a.kind)) +
           ", \"model\": " + json_string(analysis::model_name(f.model)) +
           ", \"lambda\": " + json_number(f.lambda) + ", \"sigma\": " + json_number(f.sigma) +
           ", \"kappa\": " + json_number(f.kappa) + ", \"r_squared\": " + json_number(f.r_squared) +
           ", \"rmse\": " + json_number(f.rmse) + ", \"points\": " + std::to_string(f.points) +
           ", \"peak_n\": " + json_number(f.peak_n) + ", \"peak_x\": " + json_number(f.peak_x) + "}";
  }
  return out + (fits.empty() ? "]}\n" : "\n]}\n");
}

std::string cell(double v) {
  if (std::isinf(v)) return "inf";
  if (std::isnan(v)) return "-";
  return format_value(v);
}

void print_table(std::ostream& out, const std::vector<GroupFit>& fits, const FitRequest& a, bool tty) {
  using Align = TextTable::Align;
  TextTable table({a.by, "model", "lambda", "sigma", "kappa", "R^2", "RMSE", "N*", "X(N*)", "points"},
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
  table.print(out, Style{tty});
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
  analysis::CsvTable t;
  try {
    t = analysis::read_csv_file(a.csv);
  } catch (const analysis::CsvError& e) {
    throw_csv_error(e);
  }
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
    c.out << "Usage:\n" << fit_usage() << "\n" << fit_options();
    return kExitOk;
  }
  std::optional<sim::OutputFile> json;
  if (!a.json.empty() && a.json != "-") {
    try {
      json.emplace(a.json);
    } catch (const std::runtime_error& e) {
      throw InputError(SourcePos{}, std::string("cannot write the fits: ") + e.what());
    }
  }
  const bool json_to_stdout = a.json == "-";
  const std::optional<std::string> fits =
      fit_csv(a.request, json_to_stdout ? c.err : c.out, json_to_stdout ? c.err_is_tty : c.out_is_tty, c.err);
  if (!fits) return kExitBadInput;
  if (json_to_stdout) c.out << *fits;
  if (json) {
    json->write(*fits);
    json->commit();
  }
  return kExitOk;
}

}  // namespace app
