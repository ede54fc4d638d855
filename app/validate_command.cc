#include "app/validate_command.h"

#include <simdjson.h>

#include <unistd.h>

#include <algorithm>
#include <boost/program_options.hpp>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "analysis/calibration_fit.h"
#include "analysis/calibration_mechanism.h"
#include "analysis/validation.h"
#include "app/commands.h"
#include "app/interrupt.h"
#include "app/output_names.h"
#include "app/progress_bar.h"
#include "app/python_runner.h"
#include "loader/did_you_mean.h"
#include "loader/profile.h"

namespace app {

namespace {

namespace po = boost::program_options;
namespace fs = std::filesystem;

// Common to both commands: interpreters, recording and replaying.
void add_common_options(po::options_description& o) {
  o.add_options()
      ("help,h", "print this help and exit")
      ("python", po::value<std::vector<std::string>>()->value_name("PATH"),
       "an interpreter to run the programs with (repeatable; default: python3 on PATH)")
      ("record", po::value<std::string>()->value_name("FILE"),
       "also write the programs' raw measurements here, one JSON line each")
      ("replay", po::value<std::string>()->value_name("FILE"),
       "run no Python: take the measurements that --record wrote")
      ("twin-seeds", po::value<int>()->value_name("N"),
       "run each twin with seeds 1..N and take its figures' medians, as the programs' are (default: validate 5, "
       "calibrate's battle fit 1)")
      ("jobs", po::value<int>()->value_name("N"), "twin runs at a time (default: the CPUs; the results do not depend on it)");
}

// --twin-seeds and --jobs.
struct TwinRuns {
  int seeds;
  unsigned jobs;
};
TwinRuns twin_runs(const po::variables_map& vm, int seeds);

po::options_description validate_options() {
  po::options_description o("Options of 'gilsim validate'");
  add_common_options(o);
  o.add_options()
      ("profile", po::value<std::string>()->value_name("FILE"), "the machine profile the twins run with (required)")
      ("case", po::value<std::vector<std::string>>()->value_name("PREFIX"),
       "only the cases whose id starts with PREFIX (repeatable; like smallint, echo-2cpu)")
      ("repeat", po::value<int>()->value_name("N"), "runs of each program per interpreter, interleaved (default 3)")
      ("json", po::value<std::string>()->value_name("PATH"), "write the rows as JSON (.json, '-': standard output)");
  return o;
}

po::options_description calibrate_options() {
  po::options_description o("Options of 'gilsim calibrate'");
  add_common_options(o);
  o.add_options()
      ("out", po::value<std::string>()->value_name("FILE"), "write the profile here (.yaml; default: standard output)")
      ("name", po::value<std::string>()->value_name("NAME"), "the profile's name (default: from the CPU model)")
      ("rounds", po::value<int>()->value_name("N"), "rounds of each microbenchmark (default 5)");
  return o;
}

po::variables_map parse_options(int argc, const char* const* argv, const po::options_description& options) {
  const int style = po::command_line_style::default_style & ~po::command_line_style::allow_guessing;
  po::variables_map vm;
  try {
    po::store(po::command_line_parser(argc, argv).options(options).style(style).run(), vm);
  } catch (const po::unknown_option& e) {
    // The did-you-mean among this command's own options.
    std::vector<std::string> names;
    for (const auto& o : options.options()) names.push_back(o->long_name());
    throw usage_error("unknown option '" + e.get_option_name() + "'" +
                      loader::did_you_mean_option(e.get_option_name(), names));
  }
  po::notify(vm);
  return vm;
}

std::string text_option(const po::variables_map& vm, const char* name) {
  if (!vm.count(name)) return {};
  std::string v = vm[name].as<std::string>();
  if (v.empty()) throw usage_error(std::string("--") + name + " wants a value, not an empty string");
  return v;
}

int count_option(const po::variables_map& vm, const char* name, int fallback, int most) {
  if (!vm.count(name)) return fallback;
  const int n = vm[name].as<int>();
  if (n < 1 || n > most)
    throw usage_error(std::string("--") + name + " wants a whole number from 1 to " + std::to_string(most));
  return n;
}

TwinRuns twin_runs(const po::variables_map& vm, int seeds) {
  return {count_option(vm, "twin-seeds", seeds, 1000),
          unsigned(count_option(vm, "jobs", int(std::max(1u, std::thread::hardware_concurrency())), 4096))};
}

// A bare name is looked up on PATH, as a shell would.
std::string resolve_interpreter(const std::string& name) {
  if (name.find('/') != std::string::npos) {
    if (::access(name.c_str(), X_OK) != 0) throw request_error("--python " + name + ": not an executable file");
    return name;
  }
  const char* path = std::getenv("PATH");
  std::stringstream dirs(path ? path : "");
  for (std::string dir; std::getline(dirs, dir, ':');) {
    const fs::path candidate = fs::path(dir.empty() ? "." : dir) / name;
    if (::access(candidate.c_str(), X_OK) == 0) return candidate.string();
  }
  throw request_error("--python " + name + ": not found on PATH");
}

struct Interpreter {
  std::string path;
  std::string version;  // "3.12"
};

std::vector<Interpreter> interpreters(const po::variables_map& vm) {
  std::vector<std::string> names = {"python3"};
  if (vm.count("python")) names = vm["python"].as<std::vector<std::string>>();
  std::vector<Interpreter> out;
  for (const auto& name : names) {
    Interpreter i{resolve_interpreter(name), {}};
    const ProgramRun run =
        run_program({i.path, "-c", "import sys; print('%d.%d' % sys.version_info[:2])"}, 30);
    i.version = last_line(run.out);
    if (run.exit_code != 0 || i.version.empty())
      throw request_error("--python " + name + ": it did not run (" + last_line(run.err) + ")");
    out.push_back(i);
  }
  return out;
}

// A JSON object's text (one line, as the programs print it) with `member`
// ("\"key\": value") put first.
std::string with_first_member(const std::string& member, const std::string& object) {
  const auto brace = object.find('{');
  return "{" + member + ", " + object.substr(brace + 1);
}

// The wall clock's time in UTC, like 2026-12-07T15:12:04Z.
std::string utc_now() {
  const std::time_t now = std::time(nullptr);
  std::tm utc{};
  gmtime_r(&now, &utc);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &utc);
  return text;
}

std::vector<std::string> read_lines(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw request_error("--replay " + path + ": cannot read it");
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);)
    if (!line.empty()) lines.push_back(line);
  return lines;
}

// The measurements go to --record as they come, so a long run stopped half
// way keeps what it measured. Each line gets the UTC time it was recorded
// ("recorded_utc"; replay ignores it): one machine measures differently from
// hour to hour (docs/validation.md, "A second recording"), and lines recorded
// at different hours should be told apart.
class Recorder {
 public:
  explicit Recorder(const std::string& path) {
    if (path.empty()) return;
    file_ = std::make_unique<std::ofstream>(path);
    if (!*file_) throw request_error("--record " + path + ": cannot write it");
  }
  // `line`: a JSON object (its callers parsed it).
  void add(const std::string& line) {
    if (file_) *file_ << with_first_member("\"recorded_utc\": \"" + utc_now() + "\"", line) << "\n" << std::flush;
  }

 private:
  std::unique_ptr<std::ofstream> file_;
};

// The progress line on a terminal: runs done of all, and what runs now.
class Progress {
 public:
  Progress(const Console& c, std::size_t total)
      : c_(c), total_(total), start_(std::chrono::steady_clock::now()) {}
  void show(std::size_t done, const std::string& what) {
    if (!c_.err_is_tty) return;
    const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
    c_.err << "\r\033[K" << progress_line(done, total_, elapsed, done, "runs") << "  " << what << std::flush;
  }
  void clear() {
    if (c_.err_is_tty) c_.err << "\r\033[K" << std::flush;
  }

 private:
  const Console& c_;
  std::size_t total_;
  std::chrono::steady_clock::time_point start_;
};

// `gilsim validate --help` and `gilsim calibrate --help`.
void print_help(const Console& c, const char* usage, const char* summary, const po::options_description& options,
                const char* example) {
  c.out << "Usage:\n" << usage << "\n" << summary << "\n" << options << "\nExample:\n  " << example << "\n";
}

std::string program_path(const std::string& dir, const std::string& program, const char* ext) {
  return (fs::path(dir) / (program + ext)).string();
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw request_error("cannot read " + path);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// What the machine was doing: the load average and a spin check, before and
// after; a warning when either says that something else used the CPUs.
struct Quietness {
  double load_before = -1, load_after = -1, spin = 1;
  int cpus = 1;
  std::string notes() const {
    char buf[160];
    std::snprintf(buf, sizeof buf, "load average %.2f before, %.2f after, on %d CPUs; spin check %.2f", load_before,
                  load_after, cpus, spin);
    return buf;
  }
  bool busy() const { return std::max(load_before, load_after) > 0.5 * cpus || spin > 1.3; }
};

void warn_if_busy(const Quietness& q, const Console& c) {
  if (!q.busy()) return;
  c.err << "gilsim: warning: the machine was busy (" << q.notes()
        << "): other work inflates the measured times, the wake-up and hand-off figures most\n";
}

struct SampleKey {
  std::string case_id, python;
  bool operator<(const SampleKey& o) const { return std::tie(case_id, python) < std::tie(o.case_id, o.python); }
};

// A replayed or recorded line: the program's JSON with the case's id.
std::string tagged_line(const std::string& case_id, const std::string& program_line) {
  return with_first_member("\"case\": \"" + case_id + "\"", program_line);
}

std::string case_of(const std::string& line) {
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  std::string_view id;
  if (parser.parse(line).get(root) != simdjson::SUCCESS || root["case"].get_string().get(id) != simdjson::SUCCESS)
    throw request_error("--replay: a line without \"case\": '" + line.substr(0, 120) + "'");
  return std::string(id);
}

const analysis::ValidationCase* find_case(const std::string& id) {
  for (const auto& c : analysis::validation_suite())
    if (c.id == id) return &c;
  return nullptr;
}

// --case PREFIX...: which cases run (all without it). A prefix that starts
// no case's id is a usage error, with the ids it is likely a slip for.
class CaseFilter {
 public:
  explicit CaseFilter(const po::variables_map& vm) {
    if (vm.count("case")) prefixes_ = vm["case"].as<std::vector<std::string>>();
    // The hint compares with the ids and with their families ("smallint").
    std::vector<std::string> ids, words;
    for (const auto& c : analysis::validation_suite()) {
      ids.push_back(c.id);
      const std::string family = c.id.substr(0, c.id.find('-'));
      if (std::find(words.begin(), words.end(), family) == words.end()) words.push_back(family);
    }
    words.insert(words.end(), ids.begin(), ids.end());
    for (const auto& p : prefixes_) {
      bool any = false;
      for (const auto& id : ids) any = any || id.rfind(p, 0) == 0;
      if (!any)
        throw usage_error("--case " + p + ": no case's id starts with it" + loader::did_you_mean(p, words) +
                          " (the ids are in docs/validation.md)");
    }
  }
  bool all() const { return prefixes_.empty(); }
  bool selects(const std::string& id) const {
    if (prefixes_.empty()) return true;
    for (const auto& p : prefixes_)
      if (id.rfind(p, 0) == 0) return true;
    return false;
  }

 private:
  std::vector<std::string> prefixes_;
};

}  // namespace

const char* validate_usage() {
  return "  gilsim validate --profile FILE [--python PATH]... [--case PREFIX]... [--repeat N]\n"
         "                  [--json PATH] [--record FILE] [--replay FILE]\n";
}

const char* calibrate_usage() {
  return "  gilsim calibrate [--python PATH]... [--rounds N] [--out FILE] [--name NAME]\n"
         "                   [--record FILE] [--replay FILE]\n";
}

int run_validate_command(int argc, const char* const* argv, const Console& c) {
  const po::variables_map vm = parse_options(argc, argv, validate_options());
  StopOnSignal stop;
  if (vm.count("help")) {
    print_help(c, validate_usage(),
             "Runs real Python programs (validation/*.py: count-down threads, GIL hand-offs,\n"
             "a loopback echo beside CPU threads, sleeps and asyncio, sha256/zlib threads,\n"
             "lost updates, Pool and Process start, CPU threads at short switch intervals)\n"
             "with each interpreter, interleaved and repeated, and their gilsim twins\n"
             "(validation/*.yaml) under the profile, set from what each program measured.\n"
             "Prints a row per comparison: the measured median (and range), the prediction,\n"
             "the row's tolerance and the verdict; warns when the machine is busy. Exit 1 when\n"
             "a row misses its tolerance.\n",
             validate_options(),
             "gilsim validate --profile profiles/reference.yaml --python python2.7 --python python3.12");
    return kExitOk;
  }
  const std::string profile_path = text_option(vm, "profile");
  if (profile_path.empty()) throw usage_error("'validate' needs --profile FILE: the machine the twins run on");
  loader::LoadOptions load;
  load.profile = std::make_shared<const loader::Profile>(loader::load_profile_file(profile_path));
  const int repeat = count_option(vm, "repeat", 3, 100);
  const TwinRuns twins = twin_runs(vm, 5);
  const std::string json_path = text_option(vm, "json");
  std::optional<ResultsOutput> json;
  if (!json_path.empty()) {
    check_output_name("--json", json_path);
    json.emplace(json_path, c.out);
  }
  const std::string dir = validation_dir();
  const std::string replay = text_option(vm, "replay");
  if (!replay.empty() && vm.count("python")) throw usage_error("--replay runs no Python: it takes no --python");
  const CaseFilter cases(vm);

  std::map<SampleKey, analysis::Samples> samples;
  Quietness quiet;
  quiet.cpus = online_cpus();
  auto add = [&](const std::string& case_id, const std::string& line) {
    analysis::ProgramOutput out;
    try {
      out = analysis::parse_program_output(line);
    } catch (const std::runtime_error& e) {
      throw request_error("--replay " + replay + ": " + e.what());
    }
    auto& s = samples[{case_id, out.python}];
    s.python = out.python;
    s.runs.push_back(std::move(out));
  };
  if (!replay.empty()) {
    for (const auto& line : read_lines(replay)) {
      const std::string id = case_of(line);
      if (!find_case(id)) throw request_error("--replay " + replay + ": no case '" + id + "' in the suite");
      if (cases.selects(id)) add(id, line);
    }
  } else {
    const auto pythons = interpreters(vm);
    Recorder recorder(text_option(vm, "record"));
    std::size_t total = 0;
    for (const auto& vc : analysis::validation_suite())
      for (const auto& py : pythons)
        total += analysis::applies(vc, py.version) && cases.selects(vc.id) ? std::size_t(repeat) : 0;
    quiet.load_before = load_average();
    quiet.spin = spin_check();
    Progress progress(c, total);
    std::size_t done = 0;
    // Interleaved: every case with every interpreter, then again, so that a
    // noisy minute spreads over all rows instead of spoiling one.
    for (int r = 0; r < repeat; ++r)
      for (const auto& vc : analysis::validation_suite())
        for (const auto& py : pythons) {
          if (!analysis::applies(vc, py.version) || !cases.selects(vc.id)) continue;
          progress.show(done, vc.label + ", Python " + py.version);
          throw_if_stopped();
          std::vector<std::string> args = {py.path, program_path(dir, vc.program, ".py")};
          args.insert(args.end(), vc.args.begin(), vc.args.end());
          const ProgramRun run = run_program(args, 120);
          ++done;
          const std::string line = last_line(run.out);
          std::string problem = run.timed_out ? "timed out" : run.exit_code != 0 ? "failed" : "";
          if (problem.empty()) {
            try {
              analysis::parse_program_output(line);
            } catch (const std::runtime_error& e) {
              problem = std::string("printed ") + e.what();
            }
          }
          // A program that fails is a row less, not the end of the suite.
          if (!problem.empty()) {
            progress.clear();
            c.err << "gilsim: warning: " << vc.program << ".py (" << vc.label << ") with " << py.path << " "
                  << problem << (run.exit_code != 0 ? ": " + last_line(run.err) : "") << "\n";
            continue;
          }
          recorder.add(tagged_line(vc.id, line));
          add(vc.id, line);
        }
    progress.clear();
    quiet.load_after = load_average();
  }

  if (samples.empty() && !replay.empty())
    throw request_error("--replay " + replay + ": no measurement" +
                        (cases.all() ? std::string() : " of the cases --case selects"));
  if (samples.empty()) throw request_error("validate: no program gave a measurement (the warnings above say why)");
  std::vector<analysis::RowResult> rows;
  for (const auto& vc : analysis::validation_suite()) {
    const std::string twin_file = program_path(dir, vc.program, ".yaml");
    const std::string twin_text = read_file(twin_file);
    for (const auto& [key, s] : samples) {
      if (key.case_id != vc.id) continue;
      throw_if_stopped();
      const auto figures =
          analysis::predict(twin_file, twin_text, analysis::twin_settings(vc, s), load, twins.seeds, twins.jobs);
      for (auto& row : analysis::compare(vc, s, figures)) rows.push_back(std::move(row));
    }
  }
  std::ostream& table = json_path == "-" ? c.err : c.out;
  table << "gilsim validate: profile " << load.profile->name << " (" << profile_path << ")";
  if (replay.empty()) table << "; " << quiet.notes();
  else table << "; replayed from " << replay;
  table << "\n  programs and twins from " << dir << "\n\n" << analysis::format_rows(rows);
  if (replay.empty()) warn_if_busy(quiet, c);
  if (json)
    json->write(analysis::rows_json(rows, load.profile->name, replay.empty() ? quiet.notes() : "replayed from " + replay));
  for (const auto& r : rows)
    if (!r.within) return kExitExpectationFailed;
  return kExitOk;
}

namespace {

// The sections of validation/calibrate.py, each run as a process of its own
// (a progress step each; the process and pool sections start children).
const char* const kCalibrateSections[] = {"syscall", "pingpong", "handoffs", "battle", "bytecode", "timers",
                                          "waitcpu", "processes", "pickle", "pipes", "asyncio"};

std::string cpu_model() {
  std::ifstream in("/proc/cpuinfo");
  for (std::string line; std::getline(in, line);)
    if (line.rfind("model name", 0) == 0) {
      const auto colon = line.find(':');
      if (colon != std::string::npos) {
        std::string v = line.substr(colon + 1);
        v.erase(0, v.find_first_not_of(' '));
        return v;
      }
    }
  return {};
}

// "AMD EPYC 7B13" -> "amd-epyc-7b13".
std::string slug(const std::string& text) {
  std::string out;
  for (char ch : text) {
    const char l = char(std::tolower(static_cast<unsigned char>(ch)));
    if ((l >= 'a' && l <= 'z') || (l >= '0' && l <= '9')) out += l;
    else if (!out.empty() && out.back() != '-') out += '-';
  }
  while (!out.empty() && out.back() == '-') out.pop_back();
  return out.empty() ? "this-machine" : out;
}

}  // namespace

int run_calibrate_command(int argc, const char* const* argv, const Console& c) {
  const po::variables_map vm = parse_options(argc, argv, calibrate_options());
  StopOnSignal stop;
  if (vm.count("help")) {
    print_help(c, calibrate_usage(),
             "Runs microbenchmarks (validation/calibrate.py: thread ping-pong pinned and\n"
             "unpinned, GIL hand-offs, bytecode speed, timed-wait overshoot, process and Pool\n"
             "start per method, pickling, pipes, asyncio steps) with each interpreter, fits the\n"
             "profile's keys to them (least squares where several measurements constrain one)\n"
             "and writes the profile, each value with its measurements as a comment; what no\n"
             "key takes yet is written as comments too. Load it with --profile.\n",
             calibrate_options(),
             "gilsim calibrate --python python2.7 --python python3.12 --out profiles/my-machine.yaml");
    return kExitOk;
  }
  const int rounds = count_option(vm, "rounds", 5, 100);
  // One seed: the battle fit makes some 2,400 twin runs, and its 2.x
  // twins barely depend on the seed (on the project's recording, 5 seeds
  // gave the same values in 5.8 times the time: docs/validation.md).
  const TwinRuns runs = twin_runs(vm, 1);
  const std::string out_path = text_option(vm, "out");
  if (!out_path.empty()) check_output_name("calibrate --out", out_path);
  ResultsOutput out(out_path.empty() ? "-" : out_path, c.out);
  const std::string replay = text_option(vm, "replay");
  if (!replay.empty() && vm.count("python")) throw usage_error("--replay runs no Python: it takes no --python");
  const CaseFilter cases(vm);

  std::vector<analysis::CalibrationMeasurement> measurements;
  std::vector<analysis::MeasuredOs> oses;
  int cores = 0;
  auto add = [&](const std::string& line) {
    analysis::CalibrationOutput o;
    try {
      o = analysis::parse_calibration_output(line);
    } catch (const std::runtime_error& e) {
      throw request_error(std::string(replay.empty() ? "" : "--replay " + replay + ": ") + e.what());
    }
    cores = std::max(cores, o.cpus);
    oses.push_back({o.system, o.kernel});
    for (auto& m : o.measurements) measurements.push_back(std::move(m));
  };
  Quietness quiet;
  quiet.cpus = online_cpus();
  if (!replay.empty()) {
    for (const auto& line : read_lines(replay)) add(line);
  } else {
    const std::string dir = validation_dir();
    const auto pythons = interpreters(vm);
    Recorder recorder(text_option(vm, "record"));
    quiet.load_before = load_average();
    quiet.spin = spin_check();
    Progress progress(c, std::size(kCalibrateSections) * pythons.size());
    std::size_t done = 0;
    for (const auto& py : pythons)
      for (const char* section : kCalibrateSections) {
        progress.show(done, std::string(section) + ", Python " + py.version);
        throw_if_stopped();
        const ProgramRun run = run_program({py.path, program_path(dir, "calibrate", ".py"), "--rounds",
                                            std::to_string(rounds), "--only", section},
                                           600);
        ++done;
        const std::string line = last_line(run.out);
        if (run.exit_code != 0 || run.timed_out || line.empty()) {
          progress.clear();
          c.err << "gilsim: warning: calibrate.py " << section << " with " << py.path
                << (run.timed_out ? " timed out" : " failed") << ": " << last_line(run.err) << "\n";
          continue;
        }
        try {
          add(line);
        } catch (const CliError& e) {
          progress.clear();
          c.err << "gilsim: warning: calibrate.py " << section << " with " << py.path << ": " << e.what() << "\n";
          continue;
        }
        recorder.add(line);
      }
    progress.clear();
    quiet.load_after = load_average();
  }
  if (measurements.empty()) throw request_error("calibrate: no measurement to fit");
  analysis::ProfileHeader header;
  header.cpu = replay.empty() ? cpu_model() : "";
  header.name = vm.count("name") ? text_option(vm, "name") : slug(header.cpu.empty() ? "this machine" : header.cpu);
  header.cores = cores;
  header.description = replay.empty() ? "measured by gilsim calibrate; " + quiet.notes()
                                      : "fitted by gilsim calibrate from " + replay;
  std::vector<analysis::ProfileValue> values =
      analysis::profile_values(analysis::fit_profile(measurements), measurements);
  // Before the battle: its twins run under the machine's scheduler.
  if (const auto scheduler = analysis::fit_scheduler(oses)) analysis::set_value(values, *scheduler);
  analysis::fit_wakeups(measurements, values);
  analysis::fit_syscall(measurements, values);
  analysis::fit_timed_wait_split(measurements, values);
  // The costs that act through the mechanism are fitted through it: the
  // validation twins, run here on candidate values.
  const std::string dir = validation_dir();
  std::map<std::string, std::string> twins;  // file -> text, read once
  const analysis::TwinPredictor predictor = [&](const std::string& case_id, const analysis::Samples& s,
                                                const loader::LoadOptions& load) {
    const analysis::ValidationCase* vc = find_case(case_id);
    if (!vc) throw std::logic_error("calibrate: no validation case '" + case_id + "'");
    const std::string file = program_path(dir, vc->program, ".yaml");
    if (!twins.count(file)) twins[file] = read_file(file);
    throw_if_stopped();
    return analysis::medians(
        analysis::predict(file, twins[file], analysis::twin_settings(*vc, s), load, runs.seeds, runs.jobs));
  };
  if (c.err_is_tty) c.err << "calibrate: fitting the 2.x GIL battle's costs through the twins..." << std::flush;
  const analysis::BattleFit battle = analysis::fit_battle(measurements, header, values, predictor);
  if (c.err_is_tty) c.err << "\r\033[K" << std::flush;
  if (battle.done) analysis::fit_wakeups(measurements, values, battle.wakeup_cpu);
  const std::string text = analysis::write_profile(header, values, measurements);
  // What calibrate writes, --profile loads: a profile that does not is a bug here.
  try {
    loader::load_profile_text(text, out_path.empty() ? "<calibrate>" : out_path);
  } catch (const std::exception& e) {
    throw std::logic_error(std::string("calibrate wrote a profile that does not load: ") + e.what());
  }
  out.write(text);
  if (replay.empty()) warn_if_busy(quiet, c);
  if (!out_path.empty()) c.err << "gilsim: wrote " << out_path << " (profile " << header.name << ")\n";
  return kExitOk;
}

}  // namespace app
