#include "app/progress_bar.h"

#include <cmath>
#include <cstdio>

namespace app {

std::string clock_time(double seconds) {
  const long s = std::lround(std::max(0.0, seconds));
  char buf[32];
  if (s >= 3600) {
    std::snprintf(buf, sizeof buf, "%ld:%02ld:%02ld", s / 3600, s / 60 % 60, s % 60);
  } else {
    std::snprintf(buf, sizeof buf, "%ld:%02ld", s / 60, s % 60);
  }
  return buf;
}

namespace {

// 1.25 s, 340 ms, 12 us: simulated time in the unit that fits.
std::string simulated_time(double seconds) {
  char buf[32];
  if (seconds >= 1 || seconds == 0) std::snprintf(buf, sizeof buf, "%.3g s", seconds);
  else if (seconds >= 1e-3) std::snprintf(buf, sizeof buf, "%.3g ms", seconds * 1e3);
  else std::snprintf(buf, sizeof buf, "%.3g us", seconds * 1e6);
  return buf;
}

}  // namespace

std::string run_progress_line(const std::string& what, double simulated, double end, double events,
                              double elapsed) {
  std::string line = what + ": " + simulated_time(simulated);
  if (end > 0) line += " of " + simulated_time(end);
  line += " simulated";
  if (elapsed > 0) {
    char rate[32];
    std::snprintf(rate, sizeof rate, "  %.3g M events/s", events / elapsed / 1e6);
    line += rate;
  }
  line += "  " + clock_time(elapsed) + " elapsed";
  // At the pace so far: simulated time is what the run moves through.
  if (end > simulated && simulated > 0) line += "  ~" + clock_time(elapsed * (end - simulated) / simulated) + " left";
  return line;
}

std::string progress_line(std::size_t done, std::size_t total, double elapsed, std::size_t done_now,
                          const std::string& unit) {
  constexpr std::size_t kWidth = 10;
  const std::size_t filled = total == 0 ? kWidth : done * kWidth / total;
  // Appended piecewise: GCC 12 warns falsely (-Wrestrict) on "[" + string.
  std::string line = "[";
  line.append(filled, '#').append(kWidth - filled, ' ').append("] ");
  line.append(std::to_string(done)).append("/").append(std::to_string(total));
  line.append(" ").append(unit).append("  ").append(clock_time(elapsed)).append(" elapsed");
  if (done_now > 0 && done < total)
    line += "  ~" + clock_time(elapsed / static_cast<double>(done_now) *
                               static_cast<double>(total - done)) + " left";
  return line;
}

}  // namespace app
