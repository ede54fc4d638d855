// Durations as scenario files and expressions write them: a number and a unit,
// `250ms`, `1.5s`, `10us` (or `10µs`), `5ns`, with an optional space between.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "sim/time.h"

namespace loader {

// The longest duration a scenario may write. Far beyond any sensible run
// (11.6 days) and far below where integer nanoseconds overflow: a larger value
// is a typo, not an experiment.
inline constexpr double kMaxDurationSeconds = 1e6;

// The length of the decimal number at the start of `text` ("12", "1.5", ".5",
// "1e-3"), or 0 if it does not start with one. No sign: callers decide what a
// minus means.
std::size_t number_prefix_length(std::string_view text);

// Nanoseconds in one `unit` (ns, us, µs, ms, s); 0 if `unit` is not one.
sim::Time unit_in_ns(std::string_view unit);

// The units, as an error message lists them.
inline constexpr const char* kUnitList = "ns, us (or µs), ms and s";

// A value parsed from text, or the problem with the text, in words that say
// what to write instead.
template <typename T>
struct ParseResult {
  T value{};
  std::string problem;  // empty when the text is valid
  bool ok() const { return problem.empty(); }
};

// Parses `text` into whole nanoseconds (rounded to the nearest). A bare number,
// an unknown unit, a negative or an absurdly long duration is a problem.
ParseResult<sim::Time> parse_duration(std::string_view text);

// A window of simulated time, `FROM..TO` (`2s..2.5s`, `0..100ms`; a bare 0
// needs no unit), from < to: for --svg-window.
struct TimeWindow {
  sim::Time from = 0, to = 0;
};
ParseResult<TimeWindow> parse_time_window(std::string_view text);

// The same, kept in fractional nanoseconds: for costs per byte, where
// `0.25ns` is a sensible value that whole nanoseconds would round away.
ParseResult<double> parse_fractional_duration(std::string_view text);

// The forms of a rate, as an error message lists them.
inline constexpr const char* kRateForms = "NUMBER/s, NUMBER/ms or NUMBER/min (like 200/s)";

// A rate of arrivals, `200/s`, `0.5/ms`, `30/min` (spaces allowed around
// `/`), in events per second. A bare number (which unit?), another unit, or
// a rate that is not above 0 or not finite is a problem.
ParseResult<double> parse_rate(std::string_view text);

}  // namespace loader
