#include <doctest/doctest.h>

#include "app/progress_bar.h"

TEST_CASE("progress_line: a bar, the count, the time elapsed and an estimate from this run's pace") {
  CHECK(app::progress_line(12, 40, 13, 12) == "[###       ] 12/40 points  0:13 elapsed  ~0:30 left");
  // 10 were done before a resume: the pace is that of the 2 done now.
  CHECK(app::progress_line(12, 40, 4, 2) == "[###       ] 12/40 points  0:04 elapsed  ~0:56 left");
  CHECK(app::progress_line(40, 40, 65, 40) == "[##########] 40/40 points  1:05 elapsed");
  CHECK(app::progress_line(0, 40, 0, 0) == "[          ] 0/40 points  0:00 elapsed");
  CHECK(app::clock_time(3725) == "1:02:05");
}

TEST_CASE("run_progress_line: simulated time reached, its end when known, events/s, and what is left at this pace") {
  CHECK(app::run_progress_line("c2 main", 2.5, 10, 30e6, 3) ==
        "c2 main: 2.5 s of 10 s simulated  10 M events/s  0:03 elapsed  ~0:09 left");
  // No known end: no estimate.
  CHECK(app::run_progress_line("x v", 0.25, 0, 1e6, 2) == "x v: 250 ms simulated  0.5 M events/s  0:02 elapsed");
  CHECK(app::run_progress_line("x v", 12e-6, 0, 0, 1) == "x v: 12 us simulated  0 M events/s  0:01 elapsed");
}
