// The command line (docs/commands.md; `gilsim --help`):
//
//   gilsim                    the same as `gilsim claims`
//   gilsim claims             runs the claims suite, prints the claims table
//   gilsim run FILE...        runs scenarios, prints a summary per scenario
//   gilsim check FILE...      validates scenarios without running them
//   gilsim fit CSV ...        fits Amdahl and the USL to a sweep's CSV (app/fit_command.h)
//   gilsim saturation CSV ... where a load sweep's servers saturate (app/saturation_command.h)
//
// Exit codes: 0 every expectation holds; 1 an expectation failed (or a run hit
// its time limit); 2 bad input or usage; 3 an internal error (a gilsim bug).
#pragma once

#include <ostream>

namespace app {

enum ExitCode : int {
  kExitOk = 0,
  kExitExpectationFailed = 1,
  kExitBadInput = 2,
  kExitInternalError = 3,
};

// Where the command's text goes, and whether each stream is a terminal
// (colours, ✓/✗ and progress lines only on a terminal).
struct Console {
  std::ostream& out;
  std::ostream& err;
  bool out_is_tty = false;
  bool err_is_tty = false;
};

// Runs the command line in-process; never throws. Results sent to `-` go to
// `console.out`, and then the human summary goes to `console.err` so that
// standard output stays machine-readable.
int main_cli(int argc, const char* const* argv, const Console& console);
// The same, with neither stream a terminal (tests).
int main_cli(int argc, const char* const* argv, std::ostream& out, std::ostream& err);
// The same, on std::cout and std::cerr (the program's main).
int main_cli(int argc, const char* const* argv);

}  // namespace app
