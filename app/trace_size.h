// What `gilsim run --trace` is asked to write, and how big it will be.
//
// --trace-window FROM..TO keeps the part of a run between two simulated
// times (sim/trace_window.h). Before a traced run, an untraced run of the
// same variant (about a tenth of the traced run's time: tracing is the
// expensive part) counts its events; a Chrome trace takes 200 to 350 bytes per
// event (measured on the shipped scenarios), so events x kBytesPerEvent,
// scaled by the window's share of the run, is its size within a factor of
// ~1.5. Above the limit (1 GB, --trace-limit GB raises it) the command
// refuses before any run is traced or any file written: Perfetto's UI does
// not open JSON traces of gigabytes, and a trace of 7 GB takes minutes to
// write. The message says how to cut the trace or raise the limit.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "loader/durations.h"
#include "report/runner.h"
#include "sim/time.h"

namespace app {

inline constexpr double kBytesPerEvent = 350;           // the upper end of the measured range
inline constexpr double kDefaultTraceLimitGb = 1;

// "2s..2.1s": durations FROM < TO.
loader::ParseResult<report::TraceWindow> parse_trace_window(std::string_view text);

// The Chrome trace's size, from the events and the simulated wall time of an
// untraced run, and the window (if any).
std::uint64_t estimated_trace_bytes(std::uint64_t events, sim::Time wall,
                                    const std::optional<report::TraceWindow>& window);

// "GB": a positive number (of 10^9 bytes).
loader::ParseResult<double> parse_trace_limit(std::string_view text);

// Why a trace of `bytes` of `what` ("scenario s, variant v") is refused
// under `limit_gb`, or empty when it is not.
std::string trace_too_large(std::uint64_t bytes, double limit_gb, const std::string& what, bool windowed);

}  // namespace app
