// `gilsim fit CSV --x COL (--throughput COL | --time COL) [--by COL] [--json PATH]`:
// reads a sweep CSV (one row per point, variant and replication), groups its
// rows by the --by column (default `variant`), fits Amdahl's law and the USL
// to each group (analysis/fit.h) and prints a table; --json writes the fits.
#pragma once

#include "app/cli.h"

namespace app {

// argv[0] is "fit". Bad input throws app::InputError (with the CSV's file and
// line) or boost::program_options::error (usage); main_cli turns both into
// exit code 2. Returns kExitBadInput itself when a group cannot be fitted.
int run_fit_command(int argc, const char* const* argv, const Console& console);

// The usage lines of `gilsim fit`, for the help text.
const char* fit_usage();

}  // namespace app
