#include "app/trace_size.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>

namespace app {

loader::ParseResult<report::TraceWindow> parse_trace_window(std::string_view text) {
  loader::ParseResult<report::TraceWindow> r;
  const auto w = loader::parse_time_window(text);
  if (w.ok()) {
    r.value = report::TraceWindow{w.value.from, w.value.to};
  } else {
    r.problem = "--trace-window: " + w.problem;
  }
  return r;
}

std::uint64_t estimated_trace_bytes(std::uint64_t events, sim::Time wall,
                                    const std::optional<report::TraceWindow>& window) {
  double share = 1;
  if (window && wall > 0) {
    const sim::Time inside = std::max<sim::Time>(0, std::min(window->to, wall) - std::min(window->from, wall));
    share = static_cast<double>(inside) / static_cast<double>(wall);
  }
  return static_cast<std::uint64_t>(std::llround(static_cast<double>(events) * kBytesPerEvent * share));
}

loader::ParseResult<double> parse_trace_limit(std::string_view text) {
  loader::ParseResult<double> r;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), r.value);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size() || !(r.value > 0) ||
      !std::isfinite(r.value))
    r.problem = "--trace-limit wants a size in GB above 0, like 5, not '" + std::string(text) + "'";
  return r;
}

std::string trace_too_large(std::uint64_t bytes, double limit_gb, const std::string& what, bool windowed) {
  if (static_cast<double>(bytes) <= limit_gb * 1e9) return {};
  char size[64];
  std::snprintf(size, sizeof size, "about %.1f GB, above the limit of %g GB", static_cast<double>(bytes) / 1e9,
                limit_gb);
  return "the trace of " + what + " would be " + size +
         " (Perfetto's UI does not open JSON traces that large): " +
         (windowed ? "trace a narrower --trace-window FROM..TO" : "trace a part with --trace-window FROM..TO") +
         " (e.g. 1s..1.1s), or raise the limit with --trace-limit GB";
}

}  // namespace app
