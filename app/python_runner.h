// Running the real Python programs of `gilsim validate` and `gilsim calibrate`
// (validation/*.py): where they are, and one run of one of them.
#pragma once

#include <string>
#include <vector>

namespace app {

// The folder of the validation programs and their twins: $GILSIM_DATA_DIR/
// validation when that is set, else the installed share/gilsim/validation
// beside the binary's bin/, else the source tree's (a build tree's binary).
// Throws CliError (exit 2) naming the places tried when none has them.
std::string validation_dir();

struct ProgramRun {
  int exit_code = 0;        // the program's, or 128 + signal
  bool timed_out = false;   // killed after the time limit
  std::string out;          // standard output
  std::string err;          // standard error (its last 4 KB)
};

// Runs `argv` (argv[0] a path) in a process group of its own, with its
// standard output and error captured, and kills the group after
// `timeout_seconds`. Throws std::runtime_error when it cannot start.
ProgramRun run_program(const std::vector<std::string>& argv, double timeout_seconds);

// The last line of `text` that is not empty (a program's JSON line).
std::string last_line(const std::string& text);

// Load average over the last minute (/proc/loadavg), or -1 when unknown.
double load_average();
// The CPUs this process may run on.
int online_cpus();

// A spin check: a fixed loop timed `rounds` times; the slowest over the
// fastest. Near 1 on a quiet machine; above 1.3 something else takes the CPU.
double spin_check(int rounds = 7);

}  // namespace app
