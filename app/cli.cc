#include "app/cli.h"

#include <unistd.h>

#include <algorithm>
#include <boost/program_options.hpp>
#include <charconv>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <memory>
#include <optional>
#include <sstream>
#include <set>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "analysis/sweep.h"
#include "report/claims.h"
#include "app/fit_command.h"
#include "app/saturation_command.h"
#include "app/interrupt.h"
#include "app/progress_bar.h"
#include "loader/input_error.h"
#include "report/report.h"
#include "report/runner.h"
#include "loader/scenario.h"
#include "models/simulation.h"
#include "sim/output_file.h"

namespace app {

namespace {

namespace po = boost::program_options;
namespace fs = std::filesystem;

// A request the command line cannot carry out as given: exit 2. Usage errors
// (a wrong option, a missing FILE) also point at --help; errors about what the
// request names (a variant, an output path) say all there is to say.
class CliError : public std::runtime_error {
 public:
  CliError(const std::string& message, bool hint_help)
      : std::runtime_error(message), hint_help_(hint_help) {}
  bool hint_help() const { return hint_help_; }

 private:
  bool hint_help_;
};

CliError usage_error(const std::string& message) { return CliError(message, true); }
CliError request_error(const std::string& message) { return CliError(message, false); }

const char* const kCommands[] = {"claims", "run", "check", "sweep", "merge", "fit", "saturation"};
const char* const kOptionNames[] = {"--help",   "--version",      "--seed", "--variant",
                                    "--trace",  "--svg",          "--json", "--csv",
                                    "--jobs",   "--replications", "--out",  "--shard"};

struct Args {
  std::string command = "claims";
  std::vector<std::string> files;
  loader::LoadOptions load;
  std::vector<std::string> variants;
  std::string trace, svg, json, csv;  // empty: not asked for
  // sweep (empty or unset: not given)
  std::optional<int> replications;
  std::optional<unsigned> jobs;
  std::string out_dir;
  std::optional<analysis::Shard> shard;
  bool help = false;
  bool version = false;
};

po::options_description visible_options() {
  po::options_description o("Options");
  o.add_options()
      ("help,h", "print this help and exit")
      ("version", "print the version and exit")
      ("seed", po::value<std::string>()->value_name("N"),
       "replace every scenario's seed (and its variants')")
      ("variant", po::value<std::vector<std::string>>()->value_name("NAME"),
       "run only this variant (repeatable)")
      ("trace", po::value<std::string>()->value_name("PATH"),
       "write a Chrome trace per run (ui.perfetto.dev)")
      ("svg", po::value<std::string>()->value_name("PATH"), "write an SVG timeline per run")
      ("json", po::value<std::string>()->value_name("PATH"), "write the results as JSON")
      ("csv", po::value<std::string>()->value_name("PATH"), "write the results as CSV")
      ("replications", po::value<std::string>()->value_name("R"),
       "sweep: runs per point, seeds N, N+1, ... (default: the file's, or 1)")
      ("jobs", po::value<std::string>()->value_name("N"),
       "sweep: runs at once (default: one per core)")
      ("out", po::value<std::string>()->value_name("DIR"),
       "sweep: the state directory (default: sweep-NAME)")
      ("shard", po::value<std::string>()->value_name("K/N"),
       "sweep: run only the K-th of N parts of the points");
  return o;
}

std::string help_text() {
  std::ostringstream s;
  s << "gilsim " GILSIM_VERSION " - a deterministic discrete-event simulator of CPython's GIL\n"
       "\n"
       "Usage:\n"
       "  gilsim [claims] [--seed N] [--json PATH] [--csv PATH]\n"
       "  gilsim run FILE... [--seed N] [--variant NAME]... [--trace PATH] [--svg PATH]\n"
       "                     [--json PATH] [--csv PATH]\n"
       "  gilsim check FILE... [--seed N] [--variant NAME]...\n"
       "  gilsim sweep FILE [PATH=VALUES]... [--replications R] [--jobs N] [--out DIR]\n"
       "                    [--shard K/N] [--seed N] [--variant NAME]... [--csv PATH]\n"
       "                    [--json PATH]\n"
       "  gilsim merge DIR... [--csv PATH] [--json PATH]\n"
    << fit_usage() << saturation_usage() <<
       "\n"
       "Commands:\n"
       "  claims   run the scenarios shipped for the article's claims and print the\n"
       "           claims table; exit 0 only if every modelled claim holds (default)\n"
       "  run      run scenario files; print a summary per scenario and its expectations\n"
       "  check    validate scenario files without running them\n"
       "  fit      fit Amdahl's law and the USL to a sweep's CSV ('gilsim fit --help')\n"
       "  saturation\n"
       "           where each server of a load sweep's CSV saturates, and up to which\n"
       "           load its latency objectives hold ('gilsim saturation --help')\n"
       "  sweep    run one scenario over every combination of its axes' values\n"
       "           (the file's sweep.axes, replaced or extended by PATH=VALUES:\n"
       "           PATH=[a,b,c], PATH=A..B or PATH=v, e.g. runtime.switch_interval=\n"
       "           [1ms,5ms] threads.0.count=1..4), each point --replications times\n"
       "           with seeds N, N+1, ...; expectations are not evaluated. Writes\n"
       "           DIR/points/*.json as points finish, then DIR/results.csv and\n"
       "           DIR/results.json; run the same command again to resume\n"
       "  merge    join the DIRs of a sweep's shards (--shard K/N) into the results\n"
       "           the whole sweep would have written (--csv and/or --json)\n"
       "\n"
    << visible_options()
    << "\n"
       "Output files:\n"
       "  Every output file is written whole or not at all: a run that fails leaves\n"
       "  none behind. PATH '-' is standard output; the summary then goes to standard\n"
       "  error. With exactly one run (one FILE, one variant), --trace and --svg write\n"
       "  PATH itself; otherwise they write one file per run, named by inserting the\n"
       "  variant before the extension (out.json -> out.threads.json), and with several\n"
       "  FILEs the scenario name and the variant (out.json -> out.c2-cpu.threads.json).\n"
       "  --json holds one object for one FILE and an array for several (claims: an\n"
       "  array). --csv holds one row per scenario, variant and metric.\n"
       "\n"
       "Exit codes:\n"
       "  0  success, and every expectation holds\n"
       "  1  an expectation failed, or a run did not finish within its time_limit\n"
       "  2  bad input or usage\n"
       "  3  internal error (a broken invariant: a gilsim bug)\n"
       "\n"
       "The scenario format, the model and its choices: README.md.\n";
  return s.str();
}

std::uint64_t parse_seed(const std::string& text) {
  std::uint64_t seed = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), seed);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size())
    throw usage_error("--seed wants a whole number from 0 to 18446744073709551615, not '" +
                      text + "'");
  return seed;
}

int parse_count(const std::string& text, const char* option, int most) {
  int n = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size() || n < 1 || n > most)
    throw usage_error(std::string(option) + " wants a whole number from 1 to " + std::to_string(most) +
                      ", not '" + text + "'");
  return n;
}

Args parse(int argc, const char* const* argv) {
  po::options_description hidden;
  hidden.add_options()("command", po::value<std::string>())(
      "files", po::value<std::vector<std::string>>());
  po::options_description all;
  all.add(visible_options()).add(hidden);
  po::positional_options_description positional;
  positional.add("command", 1).add("files", -1);

  // No guessing of abbreviated options: `--s` must not silently mean --seed
  // today and become ambiguous when an option is added.
  int style = po::command_line_style::default_style & ~po::command_line_style::allow_guessing;
  po::variables_map vm;
  po::store(po::command_line_parser(argc, argv).options(all).positional(positional).style(style).run(),
            vm);
  po::notify(vm);

  Args a;
  a.help = vm.count("help") > 0;
  a.version = vm.count("version") > 0;
  if (vm.count("command")) a.command = vm["command"].as<std::string>();
  if (vm.count("files")) a.files = vm["files"].as<std::vector<std::string>>();
  if (vm.count("seed")) {
    a.load.override_seed = true;
    a.load.seed = parse_seed(vm["seed"].as<std::string>());
  }
  if (vm.count("variant")) a.variants = vm["variant"].as<std::vector<std::string>>();
  auto path = [&](const char* name) {
    if (!vm.count(name)) return std::string();
    std::string p = vm[name].as<std::string>();
    if (p.empty()) throw usage_error(std::string("--") + name + " wants a PATH, not an empty string");
    return p;
  };
  a.trace = path("trace");
  a.svg = path("svg");
  a.json = path("json");
  a.csv = path("csv");
  a.out_dir = path("out");
  if (vm.count("replications"))
    a.replications = parse_count(vm["replications"].as<std::string>(), "--replications", loader::kMaxReplications);
  if (vm.count("jobs")) a.jobs = parse_count(vm["jobs"].as<std::string>(), "--jobs", 4096);
  if (vm.count("shard")) {
    auto shard = analysis::parse_shard(vm["shard"].as<std::string>());
    if (!shard.ok()) throw usage_error(shard.problem);
    a.shard = shard.value;
  }
  return a;
}

std::vector<std::string> to_strings(const char* const* begin, const char* const* end) {
  return std::vector<std::string>(begin, end);
}

std::string looks_like_file_hint(const std::string& word) {
  auto ends_with = [&](const char* ext) {
    std::string e(ext);
    return word.size() > e.size() && word.compare(word.size() - e.size(), e.size(), e) == 0;
  };
  if (ends_with(".yaml") || ends_with(".yml") || fs::exists(word))
    return "; to run a scenario file: gilsim run " + word;
  return {};
}

// Which options make sense with which command; a misplaced one is an error
// rather than silently ignored.
void check_command_and_options(const Args& a) {
  if (std::find(std::begin(kCommands), std::end(kCommands), a.command) == std::end(kCommands)) {
    std::string hint = looks_like_file_hint(a.command);
    if (hint.empty()) {
      std::string close = loader::closest_match(a.command, to_strings(std::begin(kCommands), std::end(kCommands)));
      if (!close.empty()) hint = "; did you mean '" + close + "'?";
    }
    throw usage_error("unknown command '" + a.command + "'" + hint);
  }
  if (a.command == "claims") {
    if (!a.files.empty())
      throw usage_error("'claims' takes no FILE; to run a scenario file: gilsim run " + a.files[0]);
    if (!a.variants.empty()) throw usage_error("--variant applies to 'run' and 'check'");
    if (!a.trace.empty()) throw usage_error("--trace applies to 'run'");
    if (!a.svg.empty()) throw usage_error("--svg applies to 'run'");
  } else if (a.command == "merge") {
    if (a.files.empty()) throw usage_error("'merge' needs the DIRs of a sweep's shards");
  } else {
    if (a.files.empty()) throw usage_error("'" + a.command + "' needs at least one scenario FILE");
  }
  if (a.command == "check") {
    if (!a.trace.empty() || !a.svg.empty() || !a.json.empty() || !a.csv.empty())
      throw usage_error("'check' writes no files; --trace, --svg, --json and --csv apply to 'run'");
  }
  const bool sweep_options = a.replications || a.jobs || !a.out_dir.empty() || a.shard;
  if (sweep_options && a.command != "sweep")
    throw usage_error("--replications, --jobs, --out and --shard apply to 'sweep'");
  if (a.command == "sweep" || a.command == "merge") {
    if (!a.trace.empty() || !a.svg.empty())
      throw usage_error("--trace and --svg apply to 'run': a trace is of one run (run one point with 'gilsim run')");
  }
  if (a.command == "sweep" && a.files[0].find('=') != std::string::npos)
    throw usage_error("'sweep' needs the scenario FILE first, then the axes PATH=VALUES");
  if (a.command == "merge") {
    if (a.load.override_seed || !a.variants.empty())
      throw usage_error("--seed and --variant apply to 'sweep': merge joins what the shards ran");
    if (a.json.empty() && a.csv.empty())
      throw usage_error("'merge' writes the results to --csv PATH and/or --json PATH ('-' for standard output)");
  }
  int to_stdout = 0;
  for (const auto* p : {&a.trace, &a.svg, &a.json, &a.csv}) to_stdout += *p == "-";
  if (to_stdout > 1) throw usage_error("only one output can go to standard output ('-')");
}

bool results_to_stdout(const Args& a) {
  return a.trace == "-" || a.svg == "-" || a.json == "-" || a.csv == "-";
}

// --- loading ---------------------------------------------------------------

void print_input_error(std::ostream& err, const std::string& what) {
  err << what;
  if (what.empty() || what.back() != '\n') err << "\n";
}

struct Loaded {
  std::vector<loader::Scenario> scenarios;
  bool all_ok = true;
};

// Loads every file, reporting every bad one (not only the first), so that a
// user fixes them all in one round.
Loaded load_files(const std::vector<std::string>& files, const loader::LoadOptions& load, std::ostream& err) {
  Loaded loaded;
  for (const auto& f : files) {
    std::error_code ec;
    if (!fs::exists(f, ec)) {
      err << "gilsim: " << f << ": no such file\n";
      loaded.all_ok = false;
      continue;
    }
    if (fs::is_directory(f, ec)) {
      err << "gilsim: " << f << ": is a directory, not a scenario file\n";
      loaded.all_ok = false;
      continue;
    }
    try {
      loaded.scenarios.push_back(loader::load_scenario_file(f, load));
    } catch (const loader::InputError& e) {
      print_input_error(err, e.what());
      loaded.all_ok = false;
    }
  }
  return loaded;
}

// Every --variant NAME must name a variant of at least one FILE; each FILE
// runs those of its variants that are named.
void check_variants(const std::vector<std::string>& wanted, const std::vector<loader::Scenario>& scenarios) {
  std::vector<std::string> known;
  for (const auto& s : scenarios)
    for (const auto& v : s.variants)
      if (std::find(known.begin(), known.end(), v.name) == known.end()) known.push_back(v.name);
  for (const auto& name : wanted) {
    if (std::find(known.begin(), known.end(), name) != known.end()) continue;
    std::string message = "unknown variant '" + name + "'";
    std::string close = loader::closest_match(name, known);
    if (!close.empty()) message += "; did you mean '" + close + "'?";
    std::string list;
    for (const auto& k : known) list += (list.empty() ? "" : ", ") + k;
    message += " (variants: " + list + ")";
    throw request_error(message);
  }
}

// --- output files ----------------------------------------------------------

// The results (JSON or CSV) to a file or to standard output. The file opens
// before the runs, so that a bad path fails at once, and appears only when
// write() commits it: an error or exit before that leaves nothing behind.
class ResultsOutput {
 public:
  ResultsOutput(const std::string& path, std::ostream& out) : out_(out) {
    if (path == "-") return;
    try {
      file_ = std::make_unique<sim::OutputFile>(path);
    } catch (const std::runtime_error& e) {
      throw request_error(std::string("cannot write results: ") + e.what());
    }
  }
  void write(const std::string& text) {
    if (!file_) {
      out_ << text << std::flush;
      return;
    }
    try {
      file_->write(text);
      file_->commit();
    } catch (const std::runtime_error& e) {
      throw request_error(std::string("cannot write results: ") + e.what());
    }
  }

 private:
  std::ostream& out_;
  std::unique_ptr<sim::OutputFile> file_;
};

std::optional<ResultsOutput> open_results(const std::string& path, std::ostream& out) {
  if (path.empty()) return std::nullopt;
  return std::optional<ResultsOutput>(std::in_place, path, out);
}

// out.json + tag -> out.TAG.json; a name without extension gets .TAG.
std::string insert_before_extension(const std::string& path, const std::string& tag) {
  auto slash = path.find_last_of('/');
  auto name_start = slash == std::string::npos ? 0 : slash + 1;
  auto dot = path.find_last_of('.');
  if (dot == std::string::npos || dot <= name_start) return path + "." + tag;
  return path.substr(0, dot) + "." + tag + path.substr(dot);
}

// Where each run's trace and picture go (see --help, "Output files").
class TracePaths {
 public:
  TracePaths(const Args& a, const std::vector<loader::Scenario>& scenarios) : a_(a) {
    several_files_ = scenarios.size() > 1;
    for (const auto& s : scenarios)
      for (const auto& v : s.variants)
        if (selected_variant(v.name)) ++runs_;
  }

  std::string chrome(const loader::Scenario& s, const std::string& variant) const {
    return for_run(a_.trace, s, variant);
  }
  std::string svg(const loader::Scenario& s, const std::string& variant) const {
    return for_run(a_.svg, s, variant);
  }

  // Checked before anything runs: standard output takes one run, no two runs
  // share a file, and every file's directory exists.
  void check(const std::vector<loader::Scenario>& scenarios) const {
    for (const auto* path : {&a_.trace, &a_.svg}) {
      if (path->empty()) continue;
      const char* option = path == &a_.trace ? "--trace" : "--svg";
      if (*path == "-" && runs_ > 1)
        throw request_error(std::string(option) +
                            " - (standard output) takes exactly one run; choose one with --variant");
      std::set<std::string> seen;
      for (const auto& s : scenarios)
        for (const auto& v : s.variants) {
          if (!selected_variant(v.name)) continue;
          std::string p = for_run(*path, s, v.name);
          if (!seen.insert(p).second)
            throw request_error(std::string(option) + ": two runs would write " + p +
                                " (two scenarios with the same name?)");
          check_directory(p);
        }
    }
  }

 private:
  bool selected_variant(const std::string& v) const {
    return a_.variants.empty() ||
           std::find(a_.variants.begin(), a_.variants.end(), v) != a_.variants.end();
  }

  std::string for_run(const std::string& path, const loader::Scenario& s, const std::string& variant) const {
    if (path.empty() || runs_ == 1) return path;
    return insert_before_extension(path, several_files_ ? s.name + "." + variant : variant);
  }

  static void check_directory(const std::string& path) {
    if (path == "-") return;
    fs::path dir = fs::path(path).parent_path();
    std::error_code ec;
    if (!dir.empty() && !fs::is_directory(dir, ec))
      throw request_error("cannot write " + path + ": no directory " + dir.string());
  }

  const Args& a_;
  bool several_files_ = false;
  int runs_ = 0;
};

// --- commands --------------------------------------------------------------

// A file with sweep axes: every point of its sweep loaded and validated, as
// `gilsim sweep FILE` would before running (without command-line axes). The
// number of points, or nothing after printing why one does not load.
std::optional<std::size_t> check_sweep(const loader::Scenario& s, const Args& a, const Console& c) {
  analysis::SweepRequest request;
  request.file = s.file;
  if (a.load.override_seed) request.seed = a.load.seed;
  try {
    return analysis::prepare_sweep(request).configs.size();
  } catch (const loader::InputError& e) {
    print_input_error(c.err, e.what());
  } catch (const analysis::SweepError& e) {
    c.err << "gilsim: " << s.file << ": " << e.what() << "\n";
  }
  return std::nullopt;
}

int cmd_check(const Args& a, const Console& c) {
  Loaded loaded = load_files(a.files, a.load, c.err);
  // A name may belong to a file that did not load: judge names only when all did.
  if (loaded.all_ok) check_variants(a.variants, loaded.scenarios);
  report::Style style{c.out_is_tty};
  bool all_ok = loaded.all_ok;
  for (const auto& s : loaded.scenarios) {
    std::optional<std::size_t> points;
    if (!s.sweep.axes.empty()) {
      points = check_sweep(s, a, c);
      if (!points) {
        all_ok = false;
        continue;
      }
    }
    std::string variants;
    for (const auto& v : s.variants) variants += (variants.empty() ? "" : ", ") + v.name;
    c.out << s.file << ": " << style.green("ok") << " " << style.dash() << " scenario " << s.name
          << "; variants: " << variants << "; " << s.expect.size() << " expectation"
          << (s.expect.size() == 1 ? "" : "s");
    if (!s.figures.empty()) c.out << ", " << s.figures.size() << " figure" << (s.figures.size() == 1 ? "" : "s");
    if (points) c.out << "; sweep: " << *points << " point" << (*points == 1 ? "" : "s") << ", each valid";
    c.out << "\n";
  }
  return all_ok ? kExitOk : kExitBadInput;
}

int cmd_run(const Args& a, const Console& c) {
  Loaded loaded = load_files(a.files, a.load, c.err);
  if (!loaded.all_ok) return kExitBadInput;
  check_variants(a.variants, loaded.scenarios);
  TracePaths traces(a, loaded.scenarios);
  traces.check(loaded.scenarios);
  auto json = open_results(a.json, c.out);
  auto csv = open_results(a.csv, c.out);

  report::RunOptions options;
  options.variants = a.variants;
  if (!a.trace.empty() || !a.svg.empty()) {
    options.trace = [&](const loader::Scenario& s, const loader::Variant& v) {
      try {
        return report::make_trace_sink(traces.chrome(s, v.name), traces.svg(s, v.name),
                               "scenario " + s.name + ", variant " + v.name);
      } catch (const std::runtime_error& e) {
        throw request_error(std::string("cannot write the trace: ") + e.what());
      }
    };
  }

  bool stdout_taken = results_to_stdout(a);
  std::ostream& summary = stdout_taken ? c.err : c.out;
  report::Style style{stdout_taken ? c.err_is_tty : c.out_is_tty};
  std::vector<report::ScenarioResult> results;
  for (const auto& s : loaded.scenarios) {
    results.push_back(report::run_scenario(s, options));
    report::print_summary(summary, results.back(), style);
    summary.flush();
  }
  if (json) json->write(report::results_json(results));
  if (csv) csv->write(report::results_csv(results));
  bool all_hold = std::all_of(results.begin(), results.end(),
                              [](const report::ScenarioResult& r) { return r.all_hold(); });
  return all_hold ? kExitOk : kExitExpectationFailed;
}

int cmd_claims(const Args& a, const Console& c) {
  auto json = open_results(a.json, c.out);
  auto csv = open_results(a.csv, c.out);
  std::function<void(const std::string&)> progress;
  if (c.err_is_tty)
    progress = [&](const std::string& path) { c.err << "\r\033[Krunning " << path << std::flush; };
  report::ClaimsRun run = report::run_claims(a.load, progress);
  if (progress) c.err << "\r\033[K" << std::flush;

  bool stdout_taken = results_to_stdout(a);
  std::ostream& summary = stdout_taken ? c.err : c.out;
  report::Style style{stdout_taken ? c.err_is_tty : c.out_is_tty};
  report::print_claims_table(summary, run.results, style);
  if (!run.load_errors.empty()) {
    // The suite is compiled into the binary: a scenario of it that does not
    // load is a broken build, not the user's input.
    for (const auto& e : run.load_errors) {
      c.err << "gilsim: internal error: a scenario of the claims suite does not load:\n";
      print_input_error(c.err, e);
    }
    return kExitInternalError;
  }
  if (json) json->write(report::results_json_array(run.results));
  if (csv) csv->write(report::results_csv(run.results));
  return report::claims_hold(run.results) ? kExitOk : kExitExpectationFailed;
}

// --- sweeps ----------------------------------------------------------------

// "4 points x 3 replications x 2 variants".
std::string sweep_size(std::size_t points, const analysis::SweepDefinition& d) {
  auto count = [](std::size_t n, const char* word) {
    return std::to_string(n) + " " + word + (n == 1 ? "" : "s");
  };
  return count(points, "point") + " x " + count(static_cast<std::size_t>(d.replications), "replication") +
         " x " + count(d.variants.size(), "variant");
}

// The results of a sweep, or of a merge: where they go, whole or not at all.
void write_sweep_results(const analysis::SweepDefinition& d,
                         const std::vector<analysis::PointRecord>& records,
                         std::optional<ResultsOutput>& csv, std::optional<ResultsOutput>& json) {
  if (csv) csv->write(analysis::sweep_csv(d, records));
  if (json) json->write(analysis::sweep_json(d, records));
}

// The command that does what a sweep's analysis does, for the merged CSV of
// its shards.
std::string fit_command_line(const loader::SweepFit& fit) {
  return "gilsim fit merged.csv --x " + fit.x + (fit.time ? " --time " : " --throughput ") + fit.y +
         (fit.by == "variant" ? "" : " --by " + fit.by);
}

std::string saturation_command_line(const loader::SaturationRequest& r) {
  std::string line = "gilsim saturation merged.csv --load " + r.load;
  for (const auto& o : r.objectives) line += " --slo " + o.metric + "=" + o.text;
  if (r.metrics != "requests") line += " --metrics " + r.metrics;
  if (r.goodput) line += " --goodput";
  if (r.tolerance != loader::SaturationRequest{}.tolerance) line += " --tolerance " + report::format_value(r.tolerance);
  if (r.by != "variant") line += " --by " + r.by;
  return line;
}

// A whole sweep's `fit` and `saturation` analyses of its results CSV: the
// tables (on standard output, unless the results go there), DIR/fits.json and
// DIR/saturation.json. When present, each file is the analysis of these
// results: a failed one leaves none. A shard holds part of the curve and
// merge does not analyse (the manifest it reads does not carry the
// analyses): for a shard, the commands to run on the merged CSV.
int analyse_sweep(const analysis::PreparedSweep& sweep, const Args& a, const analysis::Shard& shard,
                  const std::string& dir, const std::string& csv, const Console& c) {
  if (!shard.whole()) {
    if (sweep.fit)
      c.err << "gilsim: not fitted (a shard holds part of the points): fit the merged CSV with "
            << fit_command_line(*sweep.fit) << "\n";
    if (sweep.saturation)
      c.err << "gilsim: saturation not analysed (a shard holds part of the points): analyse the merged CSV with "
            << saturation_command_line(sweep.saturation->request) << "\n";
    return kExitOk;
  }
  const bool stdout_taken = results_to_stdout(a);
  std::ostream& table = stdout_taken ? c.err : c.out;
  const bool tty = stdout_taken ? c.err_is_tty : c.out_is_tty;
  std::error_code ec;
  int code = kExitOk;
  if (sweep.fit) {
    const loader::SweepFit& fit = *sweep.fit;
    fs::remove(dir + "/fits.json", ec);
    const FitRequest request{csv, fit.x, fit.y, fit.by,
                             fit.time ? analysis::YKind::Time : analysis::YKind::Throughput, "sweep.fit."};
    if (const std::optional<std::string> fits = fit_csv(request, table, tty, c.err))
      open_results(dir + "/fits.json", c.out)->write(*fits);
    else
      code = kExitBadInput;
  }
  if (sweep.saturation) {
    fs::remove(dir + "/saturation.json", ec);
    loader::SaturationRequest request = sweep.saturation->request;
    request.csv = csv;
    if (sweep.fit) table << "\n";
    if (const std::optional<std::string> json = saturation_csv(request, table, tty, c.err))
      open_results(dir + "/saturation.json", c.out)->write(*json);
    else
      code = kExitBadInput;
  }
  return code;
}

int cmd_sweep(const Args& a, const Console& c) {
  analysis::SweepRequest request;
  request.file = a.files[0];
  for (std::size_t i = 1; i < a.files.size(); ++i) {
    auto axis = loader::parse_axis_argument(a.files[i]);
    if (!axis.ok()) throw usage_error(axis.problem);
    request.axes.push_back(std::move(axis.value));
  }
  request.replications = a.replications;
  if (a.load.override_seed) request.seed = a.load.seed;
  request.variants = a.variants;
  std::error_code ec;
  if (!fs::exists(request.file, ec)) throw request_error(request.file + ": no such file");

  const analysis::PreparedSweep sweep = analysis::prepare_sweep(request);
  const analysis::SweepDefinition& d = sweep.definition;
  const analysis::Shard shard = a.shard.value_or(analysis::Shard{});
  const std::string dir = a.out_dir.empty() ? "sweep-" + d.scenario : a.out_dir;
  // A shard's results hold only its points; named apart, so that shards
  // sharing DIR do not overwrite each other's.
  const std::string results =
      dir + "/results" +
      (shard.whole() ? "" : "-shard-" + std::to_string(shard.index) + "-of-" + std::to_string(shard.count));
  auto csv_copy = open_results(a.csv, c.out);
  auto json_copy = open_results(a.json, c.out);
  const analysis::SweepState state = analysis::SweepState::create_or_resume(dir, d);
  auto csv = open_results(results + ".csv", c.out);
  auto json = open_results(results + ".json", c.out);

  std::string resume_command = "gilsim sweep";
  for (const auto& f : a.files) resume_command += " " + f;
  InterruptMessage on_interrupt("\ngilsim: sweep interrupted; the finished points are kept in " + dir +
                                "/points. To resume, run the same command again (" +
                                (a.out_dir.empty() ? "or any with the same sweep" : "with --out " + dir) +
                                ").\n");
  const auto start = std::chrono::steady_clock::now();
  auto elapsed = [&] {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  };
  std::size_t found_done = 0;
  analysis::SweepRunOptions options;
  options.jobs = a.jobs.value_or(std::max(1u, std::thread::hardware_concurrency()));
  options.shard = shard;
  options.on_start = [&](std::size_t done, std::size_t total) {
    found_done = done;
    if (done > 0)
      c.err << "gilsim: resuming: " << done << " of " << total << " points already done\n";
    if (c.err_is_tty) c.err << progress_line(done, total, 0, 0) << std::flush;
  };
  if (c.err_is_tty)
    options.on_point = [&](std::size_t done, std::size_t total) {
      c.err << "\r\033[K" << progress_line(done, total, elapsed(), done - found_done) << std::flush;
    };
  const analysis::SweepOutcome outcome = analysis::run_sweep(sweep, state, options);
  if (c.err_is_tty) c.err << "\r\033[K";

  write_sweep_results(d, outcome.records, csv, json);
  write_sweep_results(d, outcome.records, csv_copy, json_copy);
  for (const auto& u : outcome.unfinished)
    c.err << "gilsim: warning: " << u << " stopped at the scenario's time_limit\n";
  char seconds[32];
  std::snprintf(seconds, sizeof seconds, "%.1f", elapsed());
  c.err << "sweep: " << sweep_size(outcome.points, d) << (shard.whole() ? "" : " (shard " +
           std::to_string(shard.index) + "/" + std::to_string(shard.count) + ")")
        << ", " << outcome.ran << " run now, in " << seconds << " s " << (c.err_is_tty ? "\u2192" : "->")
        << " " << results << ".csv";
  c.err << "\n";
  return analyse_sweep(sweep, a, shard, dir, results + ".csv", c);
}

int cmd_merge(const Args& a, const Console& c) {
  auto csv = open_results(a.csv, c.out);
  auto json = open_results(a.json, c.out);
  const analysis::Merged merged = analysis::merge_sweeps(a.files);
  write_sweep_results(merged.definition, merged.records, csv, json);
  // On standard error, as sweep's summary: standard output may be the results.
  c.err << "merge: " << sweep_size(merged.records.size(), merged.definition) << " from "
        << a.files.size() << " director" << (a.files.size() == 1 ? "y" : "ies") << "\n";
  return kExitOk;
}

int dispatch(int argc, const char* const* argv, const Console& c) {
  // `fit` and `saturation` have options of their own (app/fit_command.h,
  // app/saturation_command.h).
  if (argc > 1 && std::string(argv[1]) == "fit") return run_fit_command(argc - 1, argv + 1, c);
  if (argc > 1 && std::string(argv[1]) == "saturation") return run_saturation_command(argc - 1, argv + 1, c);
  Args a = parse(argc, argv);
  if (a.help) {
    c.out << help_text();
    return kExitOk;
  }
  if (a.version) {
    c.out << "gilsim " GILSIM_VERSION "\n";
    return kExitOk;
  }
  check_command_and_options(a);
  if (a.command == "run") return cmd_run(a, c);
  if (a.command == "check") return cmd_check(a, c);
  if (a.command == "sweep") return cmd_sweep(a, c);
  if (a.command == "merge") return cmd_merge(a, c);
  return cmd_claims(a, c);
}

void hint_help(std::ostream& err) { err << "Run 'gilsim --help' for usage.\n"; }

}  // namespace

int main_cli(int argc, const char* const* argv, const Console& c) {
  try {
    int code = dispatch(argc, argv, c);
    c.out.flush();
    return code;
  } catch (const po::unknown_option& e) {
    std::string name = e.get_option_name();
    c.err << "gilsim: unknown option '" << name << "'";
    std::string close =
        loader::closest_match(name, to_strings(std::begin(kOptionNames), std::end(kOptionNames)));
    if (!close.empty()) c.err << "; did you mean '" << close << "'?";
    c.err << "\n";
    hint_help(c.err);
    return kExitBadInput;
  } catch (const po::error& e) {
    c.err << "gilsim: " << e.what() << "\n";
    hint_help(c.err);
    return kExitBadInput;
  } catch (const CliError& e) {
    c.err << "gilsim: " << e.what() << "\n";
    if (e.hint_help()) hint_help(c.err);
    return kExitBadInput;
  } catch (const loader::InputError& e) {
    print_input_error(c.err, e.what());
    return kExitBadInput;
  } catch (const analysis::SweepError& e) {
    c.err << "gilsim: " << e.what() << "\n";
    return kExitBadInput;
  } catch (const models::InvariantViolation& e) {
    c.err << "gilsim: internal error: broken invariant: " << e.what() << "\n";
    return kExitInternalError;
  } catch (const std::exception& e) {
    c.err << "gilsim: internal error: " << e.what() << "\n";
    return kExitInternalError;
  } catch (...) {
    c.err << "gilsim: internal error: unknown exception\n";
    return kExitInternalError;
  }
}

int main_cli(int argc, const char* const* argv, std::ostream& out, std::ostream& err) {
  return main_cli(argc, argv, Console{out, err, false, false});
}

int main_cli(int argc, const char* const* argv) {
  Console console{std::cout, std::cerr, isatty(STDOUT_FILENO) == 1, isatty(STDERR_FILENO) == 1};
  return main_cli(argc, argv, console);
}

}  // namespace app
