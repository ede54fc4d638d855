// Durations drawn from distributions, and their errors.
#include "loader/scenario_distribution.h"

#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "tests/loader/load_helpers.h"

using namespace load_helpers;

TEST_SUITE("scenario_distribution") {
  TEST_CASE("distributions") {
    const auto& p =
        program_of(load(with_run("      - cpu: {exp: 1ms}\n"
                                 "      - cpu: {uniform: [1ms, 3ms]}\n"
                                 "      - cpu: {normal: {mean: 5ms, sd: 1ms}}\n"
                                 "      - cpu: {lognormal: {median: 2ms, sigma: 0.5}}\n"
                                 "      - cpu: {choice: [[0.9, 1ms], [0.1, 50ms]]}\n")));
    CHECK(p[0].duration.kind == Distribution::Kind::Exp);
    CHECK(p[0].duration.a == kMillisecond);
    CHECK(p[1].duration.kind == Distribution::Kind::Uniform);
    CHECK(p[1].duration.a == kMillisecond);
    CHECK(p[1].duration.b == 3 * kMillisecond);
    CHECK(p[2].duration.kind == Distribution::Kind::Normal);
    CHECK(p[2].duration.a == 5 * kMillisecond);
    CHECK(p[2].duration.b == kMillisecond);
    CHECK(p[3].duration.kind == Distribution::Kind::Lognormal);
    CHECK(p[3].duration.a == 2 * kMillisecond);
    CHECK(p[3].duration.sigma == 0.5);
    CHECK(p[4].duration.kind == Distribution::Kind::Choice);
    REQUIRE(p[4].duration.choices.size() == 2);
    CHECK(p[4].duration.choices[0].first == 0.9);
    CHECK(p[4].duration.choices[1].second == 50 * kMillisecond);
  }

  TEST_CASE("distribution errors") {
    CHECK_ERROR(with_run("      - cpu: {expo: 1ms}\n"),
                "t.yaml:5:15: error: unknown distribution 'expo'; did you mean 'exp'?");
    CHECK_ERROR(with_run("      - cpu: {exp: 1ms, uniform: [1ms, 2ms]}\n"),
                "t.yaml:5:14: error: a distribution has one key");
    CHECK_ERROR(with_run("      - cpu: {uniform: [1ms, 2ms, 3ms]}\n"),
                "t.yaml:5:24: error: uniform takes [LOW, HIGH], got 3 values");
    CHECK_ERROR(with_run("      - cpu: {uniform: [3ms, 1ms]}\n"),
                "t.yaml:5:25: error: uniform low 3ms is above high 1ms");
    CHECK_ERROR(with_run("      - cpu: {normal: {mean: 5ms}}\n"),
                "t.yaml:5:23: error: normal needs 'mean' and 'sd', missing 'sd'");
    CHECK_ERROR(with_run("      - cpu: {normal: {mean: 5ms, sdev: 1ms}}\n"),
                "unknown key 'sdev' in normal; did you mean 'sd'?");
    CHECK_ERROR(with_run("      - cpu: {lognormal: {median: 2ms, sigma: -1}}\n"),
                "t.yaml:5:47: error: the sigma of lognormal cannot be negative");
    CHECK_ERROR(with_run("      - cpu: {lognormal: {median: 2ms, sigma: 1ms}}\n"),
                "expected a number for the sigma of lognormal, got '1ms'");
    CHECK_ERROR(with_run("      - cpu: {choice: [[0, 1ms]]}\n"),
                "t.yaml:5:25: error: the weight of a choice must be above 0");
    CHECK_ERROR(with_run("      - cpu: {choice: []}\n"),
                "choice needs at least one [WEIGHT, DURATION] pair");
    CHECK_ERROR(with_run("      - cpu: {exp: 0ms}\n"), "the mean of exp must be above 0");
    CHECK_ERROR(with_run("      - cpu: {exp: {exp: 1ms}}\n"),
                "must be a fixed duration (like 2ms), not a distribution");
  }
}
