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
#include "app/durations.h"

namespace app {

// A latency objective: `p99=200ms` on the command line, `p99: 200ms` in the
// sweep's `saturation.slo`.
struct LatencyObjective {
  std::string metric;  // p50, p90, p99, max or mean: the column PREFIX.METRIC
  double limit = 0;    // seconds
  std::string text;    // the limit as written ("200ms"), for the table
};

// The latency metrics an objective may name, as messages list them.
inline constexpr const char* kObjectiveMetrics = "p50, p90, p99, max or mean";
bool is_objective_metric(std::string_view metric);
// The objective's metric checked and its limit parsed (a duration above 0).
ParseResult<LatencyObjective> make_objective(std::string_view metric, std::string_view limit);
// `METRIC=DURATION`.
ParseResult<LatencyObjective> parse_objective(std::string_view argument);

// What to analyse: `gilsim saturation`'s arguments, or a sweep's
// `saturation` key (app/sweep_spec.h).
struct SaturationRequest {
  std::string csv;
  std::string load;                  // the column of the swept load (requests per second)
  std::string metrics = "requests";  // the columns PREFIX.offered, PREFIX.throughput, PREFIX.p99 ...
  std::vector<LatencyObjective> objectives;
  double tolerance = 0.05;  // saturated where throughput < (1 - tolerance) x offered
  // Compare PREFIX.goodput (responses to a client still waiting) with the
  // offered load instead of PREFIX.throughput: for clients with a timeout,
  // whose server may stay busy answering nobody.
  bool goodput = false;
  std::string by = "variant";
  // How messages name the settings: "--" for the options, "sweep.saturation." for the key.
  std::string setting_prefix = "--";
};

// The analysis of `gilsim saturation`, shared with `gilsim sweep`: reads the
// CSV, analyses each group, prints the table to `table` (`tty`: colours) and
// each group that cannot be analysed to `err`. Returns the results as JSON,
// or nothing when some group could not be analysed or no row has the offered
// load (exit 2). A missing column or a bad cell throws InputError.
std::optional<std::string> saturation_csv(const SaturationRequest& request, std::ostream& table, bool tty,
                                          std::ostream& err);

// argv[0] is "saturation". Bad input throws app::InputError or
// boost::program_options::error; main_cli turns both into exit code 2.
int run_saturation_command(int argc, const char* const* argv, const Console& console);

// The usage lines of `gilsim saturation`, for the help text.
const char* saturation_usage();

}  // namespace app
