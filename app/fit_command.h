// `gilsim fit CSV --x COL (--throughput COL | --time COL) [--by COL] [--json PATH]`:
// reads a sweep CSV (one row per point, variant and replication), groups its
// rows by the --by column (default `variant`), fits Amdahl's law and the USL
// to each group (analysis/fit.h) and prints a table; --json writes the fits.
#pragma once

#include <optional>
#include <ostream>
#include <string>

#include "analysis/fit.h"
#include "app/cli.h"

namespace app {

// What to fit: `gilsim fit`'s arguments, or a sweep's `fit` key (loader/sweep_spec.h).
struct FitRequest {
  std::string csv;  // the sweep CSV to read
  std::string x, y, by = "variant";
  analysis::YKind kind = analysis::YKind::Throughput;
  // How messages name the settings: "--" for the options ("--x: no column
  // ..."), "sweep.fit." for the key.
  std::string setting_prefix = "--";
};

// The fitting of `gilsim fit`, shared with `gilsim sweep`: reads the CSV,
// fits Amdahl's law and the USL to each group, prints the table to `table`
// (`tty`: with colours) and each group that cannot be fitted to `err`.
// Returns the fits as JSON (`--json`'s text), or nothing when some group could
// not be fitted or no row has a y value (exit 2; no JSON, it would miss
// groups). A missing column or a bad cell throws InputError at the CSV's place.
std::optional<std::string> fit_csv(const FitRequest& request, std::ostream& table, bool tty, std::ostream& err);

// argv[0] is "fit". Bad input throws loader::InputError (with the CSV's file and
// line) or boost::program_options::error (usage); main_cli turns both into
// exit code 2. Returns kExitBadInput itself when a group cannot be fitted.
int run_fit_command(int argc, const char* const* argv, const Console& console);

// The usage lines of `gilsim fit`, for the help text.
const char* fit_usage();

}  // namespace app
