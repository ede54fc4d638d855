// The commands behind main_cli (app/cli.cc) and what they share: the parsed
// command line, the errors that exit with code 2, loading scenario files, and
// results files written whole or not at all.
#pragma once

#include <cerrno>
#include <cstring>
#include <memory>
#include <optional>
#include <ostream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "analysis/sweep.h"
#include "app/cli.h"
#include "loader/durations.h"
#include "loader/scenario.h"
#include "sim/output_file.h"

namespace app {

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

inline CliError usage_error(const std::string& message) { return CliError(message, true); }
inline CliError request_error(const std::string& message) { return CliError(message, false); }

struct Args {
  std::string command = "claims";
  std::vector<std::string> files;
  loader::LoadOptions load;
  std::vector<std::string> variants;
  std::string trace, svg, json, csv;  // empty: not asked for
  std::string profile;                // --profile FILE, loaded into load.profile
  std::optional<loader::TimeWindow> svg_window;  // --svg-window FROM..TO
  // sweep (empty or unset: not given)
  std::optional<int> replications;
  std::optional<unsigned> jobs;
  std::string out_dir;
  std::optional<analysis::Shard> shard;
  std::vector<std::string> metrics;  // sweep, merge: --metrics PATTERN,...
  std::string trace_window;          // run: --trace-window FROM..TO, as given
  std::optional<double> trace_limit_gb;  // run: --trace-limit GB
  bool quiet = false;  // run, check, claims, sweep: no terminal table
  bool list = false;   // init --list
  bool help = false;
  bool command_given = false;  // COMMAND was written (`gilsim --help` is the global help)
  bool version = false;
};

// Where the terminal table goes: standard output, or standard error when a
// result goes to standard output, or nowhere with --quiet.
std::ostream& summary_stream(const Args& a, const Console& c);
// Whether that stream is a terminal (colours).
bool summary_is_tty(const Args& a, const Console& c);

// --trace, --svg, --json or --csv goes to standard output: the summary then goes to standard error.
bool results_to_stdout(const Args& a);

void print_input_error(std::ostream& err, const std::string& what);

struct Loaded {
  std::vector<loader::Scenario> scenarios;
  bool all_ok = true;
};
// Loads every file, reporting every bad one (not only the first), so that a
// user fixes them all in one round.
Loaded load_files(const std::vector<std::string>& files, const loader::LoadOptions& load, std::ostream& err);
// Every --variant NAME must name a variant of at least one FILE; each FILE
// runs those of its variants that are named.
void check_variants(const std::vector<std::string>& wanted, const std::vector<loader::Scenario>& scenarios);

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
    append(text);
    commit();
  }
  // The text in pieces (a large sweep's results are never held whole), then
  // commit() once.
  void append(std::string_view text) {
    if (!file_) {
      // Standard output: a full one is an I/O error, with its reason.
      if (!(out_ << text << std::flush))
        throw sim::OutputError(std::string("cannot write results to standard output: ") + std::strerror(errno));
      return;
    }
    try {
      file_->write(text);
    } catch (const std::runtime_error& e) {
      throw request_error(std::string("cannot write results: ") + e.what());
    }
  }
  void commit() {
    if (!file_) {
      out_ << std::flush;
      return;
    }
    try {
      file_->commit();
    } catch (const std::runtime_error& e) {
      throw request_error(std::string("cannot write results: ") + e.what());
    }
  }

 private:
  std::ostream& out_;
  std::unique_ptr<sim::OutputFile> file_;
};

std::optional<ResultsOutput> open_results(const std::string& path, std::ostream& out);
// out.json + tag -> out.TAG.json; a name without extension gets .TAG.
std::string insert_before_extension(const std::string& path, const std::string& tag);

// The commands (`gilsim --help` says what each does).
int cmd_check(const Args& a, const Console& c);    // app/run_commands.cc
int cmd_run(const Args& a, const Console& c);
int cmd_claims(const Args& a, const Console& c);
int cmd_sweep(const Args& a, const Console& c);    // app/sweep_commands.cc
int cmd_merge(const Args& a, const Console& c);
int cmd_init(const Args& a, const Console& c);     // app/init_command.cc

}  // namespace app
