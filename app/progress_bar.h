// A long command's progress on a terminal, as one line redrawn in place:
//   [#####     ] 12/40 points  0:13 elapsed  ~0:30 left
#pragma once

#include <cstddef>
#include <string>

namespace app {

// `done` of `total` items; `elapsed` seconds since this process started on
// them, during which it did `done_now` of them (the rest were done before: a
// resumed sweep), which is what the estimate of the time left is based on.
std::string progress_line(std::size_t done, std::size_t total, double elapsed, std::size_t done_now,
                          const std::string& unit = "points");

// Seconds as M:SS, or H:MM:SS from an hour.
std::string clock_time(double seconds);

}  // namespace app
