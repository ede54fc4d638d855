// `gilsim saturation CSV --load COL [--slo METRIC=DURATION]... [--metrics PREFIX]
//                       [--goodput] [--tolerance F] [--by COL] [--json PATH]`:
// reads a sweep of the offered load (one row per load, variant and
// replication), and says for each group (default: each variant) where its
// server saturates and up to which load each latency objective holds
// (analysis/saturation.h). Prints a table; --json writes the results.
#pragma once

#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "app/cli.h"
#include "loader/saturation_request.h"

namespace app {

// The analysis of `gilsim saturation`, shared with `gilsim sweep`: reads the
// CSV, analyses each group, prints the table to `table` (`tty`: colours) and
// each group that cannot be analysed to `err`. Returns the results as JSON,
// or nothing when some group could not be analysed or no row has the offered
// load (exit 2). A missing column or a bad cell throws InputError.
std::optional<std::string> saturation_csv(const loader::SaturationRequest& request, std::ostream& table, bool tty,
                                          std::ostream& err);

// argv[0] is "saturation". Bad input throws loader::InputError or
// boost::program_options::error; main_cli turns both into exit code 2.
int run_saturation_command(int argc, const char* const* argv, const Console& console);

// The usage lines of `gilsim saturation`, for the help text.
const char* saturation_usage();

}  // namespace app
