// A long command's progress on a terminal, as one line redrawn in place:
//   [#####     ] 12/40 points  0:13 elapsed  ~0:30 left
// or, for one simulation, run_progress_line()'s.
#pragma once

#include <cstddef>
#include <string>

namespace app {

// `done` of `total` items; `elapsed` seconds since this process started on
// them, during which it did `done_now` of them (the rest were done before: a
// resumed sweep), which is what the estimate of the time left is based on.
std::string progress_line(std::size_t done, std::size_t total, double elapsed, std::size_t done_now,
                          const std::string& unit = "points");

// A running simulation's line (drawn from its models::RunWatch):
//   c2-cpu main: 1.25 s of 10 s simulated  14.2 M events/s  0:03 elapsed  ~0:21 left
// `simulated` and `end` in simulated seconds; `end` 0 when the run's end is
// unknown (then no estimate); `elapsed` in seconds of wall-clock time, during
// which it processed `events` events.
std::string run_progress_line(const std::string& what, double simulated, double end, double events,
                              double elapsed);

// Seconds as M:SS, or H:MM:SS from an hour.
std::string clock_time(double seconds);

}  // namespace app
