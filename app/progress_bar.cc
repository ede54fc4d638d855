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
