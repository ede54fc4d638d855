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
