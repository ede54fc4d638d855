// Durations and rates as scenarios write them.
#include "loader/durations.h"

#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "tests/loader/load_helpers.h"

using namespace load_helpers;

TEST_SUITE("durations") {
  TEST_CASE("durations: units, spaces, rounding") {
    const auto& p =
        program_of(load(with_run("      - cpu: 1.5s\n"
                                 "      - cpu: 0.5 us\n"
                                 "      - cpu: 10\u00b5s\n"
                                 "      - cpu: 2.5ns\n"
                                 "      - cpu: \"250ms\"\n"
                                 "      - cpu: 1e-3s\n")));
    CHECK(p[0].duration.a == 1500 * kMillisecond);
    CHECK(p[1].duration.a == 500);
    CHECK(p[2].duration.a == 10 * kMicrosecond);
    CHECK(p[3].duration.a == 3);  // to the nearest nanosecond
    CHECK(p[4].duration.a == 250 * kMillisecond);
    CHECK(p[5].duration.a == kMillisecond);
  }

  TEST_CASE("duration errors") {
    CHECK_ERROR(with_run("      - cpu: 250\n"),
                "t.yaml:5:14: error: missing unit in '250': write 250ms, 250us, 250s or 250ns");
    CHECK_ERROR(with_run("      - sleep: -5ms\n"),
                "t.yaml:5:16: error: a duration cannot be negative");
    CHECK_ERROR(with_run("      - cpu: 5sec\n"),
                "t.yaml:5:14: error: unknown unit 'sec' in '5sec'");
    CHECK_ERROR(with_run("      - cpu: 2000000s\n"), "is too long: at most 1000000s");
    CHECK_ERROR(with_run("      - cpu: fast\n"),
                "expected a duration like 250ms or 1.5s, got 'fast'");
    CHECK_ERROR(with_run("      - cpu: [1ms]\n"),
                "expected a duration (like 250ms) for 'cpu' in thread 'main', got a list");
    CHECK_ERROR(with_run("      - cpu:\n"), "got nothing");
  }

  TEST_CASE("rates") {
    CHECK(loader::parse_rate("200/s").value == doctest::Approx(200));
    CHECK(loader::parse_rate(" 1.5 / ms ").value == doctest::Approx(1500));
    CHECK(loader::parse_rate("6/min").value == doctest::Approx(0.1));
    CHECK(loader::parse_rate("1e3/s").value == doctest::Approx(1000));
    CHECK(contains(loader::parse_rate("200").problem, "missing unit in rate '200': write 200/s, 200/ms or 200/min"));
    CHECK(contains(loader::parse_rate("200/h").problem, "unknown unit '/h'"));
    CHECK(contains(loader::parse_rate("200 per s").problem, "unknown rate '200 per s'"));
    CHECK(contains(loader::parse_rate("fast").problem, "expected a rate like 200/s"));
    CHECK(contains(loader::parse_rate("0/s").problem, "a rate must be above 0"));
    CHECK(contains(loader::parse_rate("-1/s").problem, "a rate must be above 0"));
    CHECK(contains(loader::parse_rate("1e400/s").problem, "too large"));
  }

  TEST_CASE("time windows") {
    const auto w = loader::parse_time_window("2s..2.5s");
    REQUIRE(w.ok());
    CHECK(w.value.from == 2 * sim::kSecond);
    CHECK(w.value.to == 2500 * kMillisecond);
    const auto z = loader::parse_time_window("0..100ms");
    REQUIRE(z.ok());
    CHECK(z.value.from == 0);
    CHECK(z.value.to == 100 * kMillisecond);
    CHECK(contains(loader::parse_time_window("2s-3s").problem, "expected a window FROM..TO"));
    CHECK(contains(loader::parse_time_window("2..3s").problem, "the window's start: missing unit in '2'"));
    CHECK(contains(loader::parse_time_window("1s..fast").problem, "the window's end: expected a duration"));
    CHECK(contains(loader::parse_time_window("3s..2s").problem, "is empty: its end must come after its start"));
    CHECK(contains(loader::parse_time_window("2s..2s").problem, "is empty"));
  }
}
