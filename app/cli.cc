#include "app/cli.h"

#include <unistd.h>

#include <algorithm>
#include <boost/program_options.hpp>
#include <cerrno>
#include <charconv>
#include <csignal>
#include <cstring>
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
#include "app/command_help.h"
#include "app/commands.h"
#include "app/fit_command.h"
#include "app/output_names.h"
#include "app/interrupt.h"
#include "app/saturation_command.h"
#include "app/trace_size.h"
#include "app/validate_command.h"
#include "loader/input_error.h"
#include "loader/sweep_spec.h"
#include "models/simulation.h"

namespace app {

namespace {

namespace po = boost::program_options;
namespace fs = std::filesystem;

const char* const kCommands[] = {"claims", "run",        "check", "sweep",    "merge",
                                 "fit",    "saturation", "init",  "validate", "calibrate"};

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
      ("trace-window", po::value<std::string>()->value_name("FROM..TO"),
       "run: trace only simulated time FROM..TO (e.g. 2s..2.1s)")
      ("trace-limit", po::value<std::string>()->value_name("GB"),
       "run: refuse a --trace estimated above GB (default 1)")
      ("svg", po::value<std::string>()->value_name("PATH"), "write an SVG timeline per run")
      ("svg-window", po::value<std::string>()->value_name("FROM..TO"),
       "the SVG shows only this span of simulated time (like 2s..2.5s)")
      ("json", po::value<std::string>()->value_name("PATH"), "write the results as JSON")
      ("csv", po::value<std::string>()->value_name("PATH"), "write the results as CSV")
      ("profile", po::value<std::string>()->value_name("FILE"),
       "a machine profile: its costs under every scenario's own settings (docs/profiles.md)")
      ("replications", po::value<std::string>()->value_name("R"),
       "run: runs of each variant (2 or more), reported as means and 95% intervals;\n"
       "sweep: runs per point (default: the file's, or 1); seeds N, N+1, ...")
      ("jobs", po::value<std::string>()->value_name("N"),
       "sweep: runs at once (default: one per core)")
      ("out", po::value<std::string>()->value_name("DIR"),
       "sweep: the state directory (default: sweep-NAME); init: the FILE to write")
      ("shard", po::value<std::string>()->value_name("K/N"),
       "sweep: run only the K-th of N parts of the points")
      ("metrics", po::value<std::string>()->value_name("PATTERN,..."),
       "sweep, merge: only the metric columns matching these globs (e.g. 'wall,gil.*')")
      ("quiet", "run, check, claims, sweep: no terminal table; the exit code and the files asked for")
      ("list", "init: list the templates")

      ("max-operations", po::value<std::string>()->value_name("N"),
       "refuse a variant that would run more than N operations (default 10^9;\n"
       "docs/limits-and-safety.md)");
  return o;
}

std::string help_text() {
  std::ostringstream s;
  s << "gilsim " GILSIM_VERSION " - a deterministic discrete-event simulator of CPython's GIL\n"
       "\n"
       "Usage:\n"
       "  gilsim [claims] [--seed N] [--json PATH] [--csv PATH] [--quiet]\n"
       "  gilsim run FILE... [--seed N] [--variant NAME]... [--trace PATH] [--svg PATH]\n"
       "                     [--svg-window FROM..TO] [--trace-window FROM..TO]\n"
       "                     [--trace-limit GB] [--json PATH] [--csv PATH] [--replications N]\n"
       "                     [--profile FILE] [--quiet]\n"
       "  gilsim check FILE... [--seed N] [--variant NAME]... [--profile FILE] [--quiet]\n"
       "  gilsim sweep FILE [PATH=VALUES]... [--replications R] [--jobs N] [--out DIR]\n"
       "                    [--shard K/N] [--seed N] [--variant NAME]... [--csv PATH]\n"
       "                    [--json PATH] [--metrics PATTERN,...] [--quiet]\n"
       "  gilsim merge DIR... [--csv PATH] [--json PATH] [--metrics PATTERN,...]\n"
       "  gilsim init [TEMPLATE] [--out FILE] [--list]\n"
    << fit_usage() << saturation_usage() << validate_usage() << calibrate_usage() <<
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
       "  init     write a commented starter scenario (--list: the templates)\n"
       "  validate run real Python programs beside their gilsim twins under a profile;\n"
       "           a row per comparison with its verdict ('gilsim validate --help')\n"
       "  calibrate\n"
       "           microbenchmarks with real Pythons, fitted into a machine profile\n"
       "           ('gilsim calibrate --help')\n"
       "\n"
       "'gilsim COMMAND --help' prints a command's options and an example.\n"
       "\n"
    << visible_options()
    << "\n"
       "Output files:\n"
       "  Every output file is written whole or not at all: a run that fails leaves\n"
       "  none behind. PATH '-' is standard output; the summary then goes to standard\n"
       "  error. Devices and FIFOs are written in place, a symlink's target is\n"
       "  replaced (the link stays), a directory or other special file never is. With exactly one run (one FILE, one variant), --trace and --svg write\n"
       "  PATH itself; otherwise they write one file per run, named by inserting the\n"
       "  variant before the extension (out.json -> out.threads.json), and with several\n"
       "  FILEs the scenario name and the variant (out.json -> out.c2-cpu.threads.json).\n"
       "  --json holds one object for one FILE and an array for several (claims: an\n"
       "  array). --csv holds one row per scenario, variant and metric. A name's\n"
       "  extension must match its format (--json and --trace .json, --csv .csv,\n"
       "  --svg .svg); a name without one (/dev/null) is taken as it is.\n"
       "\n"
       "Exit codes:\n"
       "  0  success, and every expectation holds\n"
       "  1  an expectation failed, or a run did not finish within its time_limit\n"
       "  2  bad input or usage, or an output that cannot be written (the path\n"
       "     and the system's reason are printed)\n"
       "  3  internal error (a broken invariant: a gilsim bug)\n"
       "  130, 143  stopped by Ctrl-C (SIGINT) or SIGTERM; a run writes no file then\n"
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
  a.command_given = vm.count("command") > 0;
  a.quiet = vm.count("quiet") > 0;
  a.list = vm.count("list") > 0;
  a.version = vm.count("version") > 0;
  if (vm.count("command")) a.command = vm["command"].as<std::string>();
  if (vm.count("files")) a.files = vm["files"].as<std::vector<std::string>>();
  if (vm.count("seed")) {
    a.load.override_seed = true;
    a.load.seed = parse_seed(vm["seed"].as<std::string>());
  }
  if (vm.count("max-operations")) {
    const std::string text = vm["max-operations"].as<std::string>();
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), a.load.max_operations);
    if (text.empty() || ec != std::errc() || end != text.data() + text.size() || a.load.max_operations == 0)
      throw usage_error("--max-operations wants a whole number from 1 to 18446744073709551615, not '" +
                        text + "'");
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
  a.profile = path("profile");
  a.out_dir = path("out");
  if (vm.count("svg-window")) {
    auto window = loader::parse_time_window(vm["svg-window"].as<std::string>());
    if (!window.ok()) throw usage_error("--svg-window: " + window.problem);
    a.svg_window = window.value;
  }
  if (vm.count("replications"))
    a.replications = parse_count(vm["replications"].as<std::string>(), "--replications", loader::kMaxReplications);
  if (vm.count("jobs")) a.jobs = parse_count(vm["jobs"].as<std::string>(), "--jobs", 4096);
  if (vm.count("metrics")) {
    try {
      a.metrics = analysis::parse_metric_patterns(vm["metrics"].as<std::string>());
    } catch (const std::invalid_argument& e) {
      throw usage_error(e.what());
    }
  }
  if (vm.count("trace-window")) a.trace_window = vm["trace-window"].as<std::string>();
  if (vm.count("trace-limit")) {
    const auto limit = parse_trace_limit(vm["trace-limit"].as<std::string>());
    if (!limit.ok()) throw usage_error(limit.problem);
    a.trace_limit_gb = limit.value;
  }
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

// `gilsim init [TEMPLATE] [--out FILE] [--list]` takes nothing else.
void check_init_options(const Args& a) {
  if (a.files.size() > 1) throw usage_error("'init' takes one TEMPLATE, got " + std::to_string(a.files.size()));
  if (a.list && (!a.files.empty() || !a.out_dir.empty())) throw usage_error("init --list takes no TEMPLATE and no --out");
  if (a.load.override_seed || !a.variants.empty() || !a.trace.empty() || !a.svg.empty() || !a.json.empty() ||
      !a.csv.empty() || a.replications || a.jobs || a.shard || a.quiet || !a.profile.empty())
    throw usage_error("'init' takes only TEMPLATE, --out FILE and --list");
  check_output_name("init --out", a.out_dir);
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
  if (a.command == "init") {
    check_init_options(a);
    return;
  }
  if (a.list) throw usage_error("--list applies to 'init'");
  if (a.quiet && a.command == "merge") throw usage_error("--quiet applies to 'run', 'check', 'claims' and 'sweep'");
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
  if (!a.metrics.empty() && a.command != "sweep" && a.command != "merge")
    throw usage_error("--metrics applies to 'sweep' and 'merge'");
  if (!a.trace_window.empty() && a.command != "run") throw usage_error("--trace-window applies to 'run'");
  if (a.trace_limit_gb && (a.command != "run" || a.trace.empty()))
    throw usage_error("--trace-limit GB applies to 'run --trace PATH'");
  if (!a.trace_window.empty() && a.trace.empty())
    throw usage_error("--trace-window FROM..TO chooses what --trace PATH shows: give it (the SVG has --svg-window)");
  const bool sweep_options = a.jobs || !a.out_dir.empty() || a.shard;
  if (sweep_options && a.command != "sweep") throw usage_error("--jobs, --out and --shard apply to 'sweep'");
  if (a.replications && a.command != "sweep" && a.command != "run")
    throw usage_error("--replications applies to 'run' and 'sweep'");
  if (a.command == "run" && a.replications) {
    if (*a.replications < 2)
      throw usage_error("run --replications wants 2 or more (a confidence interval needs two runs)");
    if (!a.trace.empty() || !a.svg.empty())
      throw usage_error("--trace and --svg are of one run: without --replications, or with --seed to pick one");
  }
  check_output_name("--trace", a.trace);
  check_output_name("--svg", a.svg);
  check_output_name("--json", a.json);
  check_output_name("--csv", a.csv);
  if (a.command == "sweep" || a.command == "merge") {
    if (!a.trace.empty() || !a.svg.empty())
      throw usage_error("--trace and --svg apply to 'run': a trace is of one run (run one point with 'gilsim run')");
  }
  if (a.command == "sweep" && a.files[0].find('=') != std::string::npos)
    throw usage_error("'sweep' needs the scenario FILE first, then the axes PATH=VALUES");
  if (a.command == "merge") {
    if (!a.profile.empty()) throw usage_error("--profile applies to 'run', 'check', 'claims' and 'sweep': merge joins what the shards ran");
    if (a.load.override_seed || !a.variants.empty())
      throw usage_error("--seed and --variant apply to 'sweep': merge joins what the shards ran");
    if (a.json.empty() && a.csv.empty())
      throw usage_error("'merge' writes the results to --csv PATH and/or --json PATH ('-' for standard output)");
  }
  if (a.svg_window && a.svg.empty()) throw usage_error("--svg-window applies to the picture of 'run --svg PATH'");
  int to_stdout = 0;
  for (const auto* p : {&a.trace, &a.svg, &a.json, &a.csv}) to_stdout += *p == "-";
  if (to_stdout > 1) throw usage_error("only one output can go to standard output ('-')");
}

int dispatch(int argc, const char* const* argv, const Console& c) {
  // `fit` and `saturation` have options of their own (app/fit_command.h,
  // app/saturation_command.h).
  if (argc > 1 && std::string(argv[1]) == "fit") return run_fit_command(argc - 1, argv + 1, c);
  if (argc > 1 && std::string(argv[1]) == "saturation") return run_saturation_command(argc - 1, argv + 1, c);
  if (argc > 1 && std::string(argv[1]) == "validate") return run_validate_command(argc - 1, argv + 1, c);
  if (argc > 1 && std::string(argv[1]) == "calibrate") return run_calibrate_command(argc - 1, argv + 1, c);
  Args a = parse(argc, argv);
  if (a.help) {
    const CommandHelp* help = a.command_given ? command_help(a.command) : nullptr;
    c.out << (help ? command_help_text(*help) : help_text());
    return kExitOk;
  }
  if (a.version) {
    c.out << "gilsim " GILSIM_VERSION "\n";
    return kExitOk;
  }
  check_command_and_options(a);
  if (!a.profile.empty())
    a.load.profile = std::make_shared<const loader::Profile>(loader::load_profile_file(a.profile));
  if (a.command == "run") return cmd_run(a, c);
  if (a.command == "check") return cmd_check(a, c);
  if (a.command == "sweep") return cmd_sweep(a, c);
  if (a.command == "merge") return cmd_merge(a, c);
  if (a.command == "init") return cmd_init(a, c);
  return cmd_claims(a, c);
}


// The command of a command line that did not parse: its first word if it is
// one, else claims (the default).
std::string command_word(int argc, const char* const* argv) {
  if (argc > 1 && std::find(std::begin(kCommands), std::end(kCommands), std::string(argv[1])) != std::end(kCommands))
    return argv[1];
  return "claims";
}

// Where a usage error sends the user: the command's own help when there is one.
void hint_help(std::ostream& err, int argc, const char* const* argv) {
  const bool command = argc > 1 && std::find(std::begin(kCommands), std::end(kCommands), std::string(argv[1])) !=
                                       std::end(kCommands);
  err << "Run 'gilsim " << (command ? std::string(argv[1]) + " " : std::string()) << "--help' for usage.\n";
}

// "; did you mean '--seed'?" among the options of the command.
std::string option_hint(const std::string& option, const std::string& command) {
  std::vector<std::string> bare;
  for (const auto& name : command_option_names(command)) bare.push_back(name.substr(2));
  return loader::did_you_mean_option(option, bare);
}

}  // namespace

int main_cli(int argc, const char* const* argv, const Console& c) {
  try {
    int code = dispatch(argc, argv, c);
    c.out.flush();
    return code;
  } catch (const po::unknown_option& e) {
    std::string name = e.get_option_name();
    const std::string command = command_word(argc, argv);
    c.err << "gilsim: unknown option '" << name << "'" << option_hint(name, command) << "\n";
    hint_help(c.err, argc, argv);
    return kExitBadInput;
  } catch (const po::error& e) {
    c.err << "gilsim: " << e.what() << "\n";
    hint_help(c.err, argc, argv);
    return kExitBadInput;
  } catch (const CliError& e) {
    c.err << "gilsim: " << e.what() << "\n";
    if (e.hint_help()) hint_help(c.err, argc, argv);
    return kExitBadInput;
  } catch (const loader::InputError& e) {
    print_input_error(c.err, e.what());
    return kExitBadInput;
  } catch (const analysis::SweepError& e) {
    c.err << "gilsim: " << e.what() << "\n";
    return kExitBadInput;
  } catch (const Interrupted& e) {
    c.err << "\ngilsim: stopped by " << (e.signal == SIGINT ? "SIGINT (Ctrl-C)" : e.signal == SIGTERM ? "SIGTERM" : "a signal")
          << ": no output written\n";
    return 128 + e.signal;
  } catch (const sim::OutputError& e) {
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

namespace {

// Standard output's last bytes leave at the end: a full disk or device
// (`> /dev/full`) shows only then, and is an I/O error (exit 2) with the
// system's reason, not a success with nothing written.
int check_stdout(int code) {
  std::cout.flush();
  errno = 0;
  bool failed = !std::cout || std::fflush(stdout) != 0;
  int err = errno;
  if (std::ferror(stdout)) {
    // It failed earlier (a flush of the summary): the reason is found by
    // trying again what stdio still holds.
    failed = true;
    std::clearerr(stdout);
    errno = 0;
    if (std::fflush(stdout) != 0) err = errno;
  }
  // A command that failed on its output said so already.
  if (!failed || code == kExitBadInput || code == kExitInternalError) return code;
  std::cerr << "gilsim: cannot write standard output: " << std::strerror(err != 0 ? err : EIO) << "\n";
  return kExitBadInput;
}

}  // namespace

int main_cli(int argc, const char* const* argv) {
  Console console{std::cout, std::cerr, isatty(STDOUT_FILENO) == 1, isatty(STDERR_FILENO) == 1};
  return check_stdout(main_cli(argc, argv, console));
}

}  // namespace app
