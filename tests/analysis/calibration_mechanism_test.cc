// calibrate's fits through the mechanism (analysis/calibration_mechanism.cc):
// the wake-up distribution and timer slack, computed by hand, and the battle
// search, which must find the costs of a fake twin whose answer is known.
#include <doctest/doctest.h>

#include <cmath>
#include <map>
#include <string>
#include <vector>

#include "analysis/calibration_mechanism.h"
#include "loader/durations.h"
#include "loader/profile.h"

namespace {

using analysis::CalibrationMeasurement;

const analysis::ProfileValue& value(const std::vector<analysis::ProfileValue>& values, const std::string& key) {
  const auto* v = analysis::find_value(values, key);
  REQUIRE(v != nullptr);
  return *v;
}

double us(const YAML::Node& settings, const char* section, const char* key) {
  const auto parsed = loader::parse_duration(settings[section][key].as<std::string>());
  REQUIRE(parsed.ok());
  return double(parsed.value) / 1000;
}

}  // namespace

TEST_CASE("calibrate: the wake-up latency is a lognormal from the round trips' spread") {
  // 3.12's round trips: p10 20 us, p50 30 us, p90 60 us. A wake-up: median
  // 15 us, sigma sqrt(2) ln(60/20) / (2 x 1.2816) = 0.606. The timed wait's
  // 100 us overshoot less the 15 us wake-up and 2 us of wakeup_cpu: 83 us.
  // 2.7's round trips (the old GIL battles in them) are not used.
  const std::vector<CalibrationMeasurement> m = {
      {"3.12", "pingpong_unpinned_p10", 0, {19000, 20000, 21000}},
      {"3.12", "pingpong_unpinned_p50", 0, {30000, 30000, 31000}},
      {"3.12", "pingpong_unpinned_p90", 0, {50000, 60000, 70000}},
      {"2.7", "pingpong_unpinned_p50", 0, {90000, 90000, 90000}},
      {"3.12", "timedwait_overshoot", 500000, {100000, 100000, 100000}},
  };
  std::vector<analysis::ProfileValue> values;
  analysis::fit_wakeups(m, values, 2000);
  CHECK(value(values, "machine.wakeup_latency").text == "{lognormal: {median: 15us, sigma: 0.61}}");
  CHECK(value(values, "machine.timer_slack").text == "83us");
  CHECK(value(values, "machine.timer_slack").comment.find("Lock.acquire(timeout=0.5 ms)") != std::string::npos);
  // What calibrate writes from them loads.
  const std::string text = analysis::write_profile({"w", "", "", 2}, values, m);
  CHECK_NOTHROW(loader::load_profile_text(text, "w.yaml"));
}

TEST_CASE("calibrate: a timed wait's CPU is split where its calls start to sleep") {
  // The whole, 20 us, fitted before from timedwait_cpu_busy. 3.12's calls
  // never sleep up to a 8 us deadline (gaps of nanoseconds) and sleep from
  // 9 us; 3.9's from 7 us (6 us does not): the middles 8.5 and 6.5 us, their
  // mean 7.5 us before the sleep, 12.5 us after it. 2.7 (no timed waits in
  // its GIL) does not count, nor a gap of 1.9 us (a few calls in a hundred
  // sleeping would give more).
  std::vector<analysis::ProfileValue> values = {{"machine.timed_wait_cpu", "20us", "the whole"}};
  const std::vector<CalibrationMeasurement> m = {
      {"3.12", "timedwait_sleep_gap", 1000, {10, 12, 14}},   {"3.12", "timedwait_sleep_gap", 8000, {1900, 1900, 1900}},
      {"3.12", "timedwait_sleep_gap", 9000, {22000, 23000, 24000}},
      {"3.12", "timedwait_sleep_gap", 20000, {24000, 24000, 24000}},
      {"3.9", "timedwait_sleep_gap", 6000, {10, 10, 10}},    {"3.9", "timedwait_sleep_gap", 7000, {15000, 15000, 15000}},
      {"2.7", "timedwait_sleep_gap", 1000, {10, 10, 10}},    {"2.7", "timedwait_sleep_gap", 2000, {9000, 9000, 9000}},
  };
  analysis::fit_timed_wait_split(m, values);
  CHECK(value(values, "machine.timed_wait_cpu").text == "7.5us");
  CHECK(value(values, "machine.timed_wait_return_cpu").text == "12.5us");
  CHECK(value(values, "machine.timed_wait_return_cpu").comment.find("less timed_wait_cpu") != std::string::npos);
  const std::string text = analysis::write_profile({"w", "", "", 2}, values, m);
  const auto settings = loader::load_profile_text(text, "w.yaml").settings;
  CHECK(us(settings, "machine", "timed_wait_cpu") == doctest::Approx(7.5));
  CHECK(us(settings, "machine", "timed_wait_return_cpu") == doctest::Approx(12.5));
}

TEST_CASE("calibrate: no split of a timed wait's CPU without a grid that brackets its sleep") {
  // Every deadline sleeps (the first one too: nothing below it is known), or
  // none does, or nothing was measured: the whole stays before the sleep.
  for (const std::vector<CalibrationMeasurement>& m : std::vector<std::vector<CalibrationMeasurement>>{
           {{"3.12", "timedwait_sleep_gap", 1000, {20000}}, {"3.12", "timedwait_sleep_gap", 2000, {21000}}},
           {{"3.12", "timedwait_sleep_gap", 1000, {10}}, {"3.12", "timedwait_sleep_gap", 20000, {10}}},
           {}}) {
    std::vector<analysis::ProfileValue> values = {{"machine.timed_wait_cpu", "20us", "the whole"}};
    analysis::fit_timed_wait_split(m, values);
    CHECK(value(values, "machine.timed_wait_cpu").text == "20us");
    CHECK(analysis::find_value(values, "machine.timed_wait_return_cpu") == nullptr);
  }
  // A deadline past the whole: all of it before the sleep, nothing after.
  std::vector<analysis::ProfileValue> values = {{"machine.timed_wait_cpu", "5us", "the whole"}};
  analysis::fit_timed_wait_split(
      {{"3.12", "timedwait_sleep_gap", 8000, {10}}, {"3.12", "timedwait_sleep_gap", 9000, {20000}}}, values);
  CHECK(value(values, "machine.timed_wait_cpu").text == "5us");
  CHECK(value(values, "machine.timed_wait_return_cpu").text == "0s");
  // No whole fitted (no timedwait_cpu_busy): nothing to split.
  std::vector<analysis::ProfileValue> none;
  analysis::fit_timed_wait_split(
      {{"3.12", "timedwait_sleep_gap", 8000, {10}}, {"3.12", "timedwait_sleep_gap", 9000, {20000}}}, none);
  CHECK(none.empty());
}

TEST_CASE("calibrate: without the round trips' spread the wake-up is left as fitted before") {
  std::vector<analysis::ProfileValue> values = {{"machine.wakeup_latency", "16us", "a constant"}};
  analysis::fit_wakeups({{"3.12", "pingpong_unpinned_p50", 0, {30000}}}, values);
  CHECK(value(values, "machine.wakeup_latency").text == "16us");
  CHECK(analysis::find_value(values, "machine.timer_slack") == nullptr);
}

TEST_CASE("calibrate: the battle search finds the costs of a twin whose answer is known") {
  // A fake twin in place of gilsim's: each figure a simple function of the
  // candidate's costs, so that only wakeup_cpu 3 us, cache_refill 2 us,
  // futex_wake 5 us and tick 10 ns (the measured 30 ns / 3) reproduce the
  // "measurements" below. A search that does not look, or keeps a worse
  // candidate, fails.
  int calls = 0;
  const analysis::TwinPredictor fake = [&](const std::string& case_id, const analysis::Samples& s,
                                           const loader::LoadOptions& load) {
    ++calls;
    const YAML::Node& p = load.profile->settings;
    const double w = us(p, "machine", "wakeup_cpu"), c = us(p, "machine", "cache_refill");
    const double f = us(p, "machine", "futex_wake"), t = us(p, "runtime", "tick") * 1000;
    const double cpus = s.runs.at(0).values.at("cpus");
    std::map<std::string, double> figures;
    if (case_id == "countdown-2-all") {
      figures["ratio"] = 1 + w / 2 + c / 4;
      figures["cpu/wall"] = 1 + w / 10;
    } else if (case_id == "countdown-2-pinned") {
      figures["ratio"] = 1 + c / 20;
    } else if (case_id == "handoffs") {
      figures["hand-offs per second"] = cpus > 1 ? 1000 * f : 100 * 10 / t;
    }
    return figures;
  };
  const std::vector<CalibrationMeasurement> m = {
      {"2.7", "countdown_iter", 0, {30, 30, 30}},
      {"2.7", "countdown2_ratio", 0, {3, 3, 3}},
      {"2.7", "countdown2_cpu_wall", 0, {1.3, 1.3, 1.3}},
      {"2.7", "countdown2_seq", 0, {1e8, 1e8, 1e8}},
      {"2.7", "countdown2_ratio_pinned", 0, {1.1, 1.1, 1.1}},
      {"2.7", "countdown2_seq_pinned", 0, {1e8, 1e8, 1e8}},
      {"2.7", "handoffs_per_s", 0, {5000, 5000, 5000}},
      {"2.7", "handoffs_per_s_pinned", 0, {100, 100, 100}},
      {"3.12", "countdown2_ratio", 0, {1, 1, 1}},  // 3.x's do not count
  };
  std::vector<analysis::ProfileValue> values;
  const analysis::BattleFit fit = analysis::fit_battle(m, {"f", "", "", 2}, values, fake);
  REQUIRE(fit.done);
  CHECK(fit.error == doctest::Approx(0).epsilon(1e-9));
  CHECK(value(values, "machine.wakeup_cpu").text == "3us");
  CHECK(value(values, "machine.cache_refill").text == "2us");
  CHECK(value(values, "machine.futex_wake").text == "5us");
  CHECK(value(values, "runtime.tick").text == "10ns");
  CHECK(fit.wakeup_cpu == 3000);
  CHECK(fit.runs == calls);
  REQUIRE(fit.targets.size() == 5);
  CHECK(fit.targets[0].predicted == doctest::Approx(3));
  // The first key's comment names what they were fitted to, with the
  // predictions; the others point to it.
  CHECK(value(values, "machine.wakeup_cpu").comment.find("2.7's measured") != std::string::npos);
  CHECK(value(values, "machine.wakeup_cpu").comment.find("hand-offs/s 5e+03 (predicted 5e+03)") !=
        std::string::npos);
  CHECK(value(values, "machine.cache_refill").comment.find("see its comment") != std::string::npos);
  // CFS (no scheduler named): its wake-up granularity is fitted too.
  CHECK(analysis::find_value(values, "machine.wakeup_granularity") != nullptr);
}

TEST_CASE("calibrate: under EEVDF the battle's twins run with it, and no wake-up granularity is fitted") {
  int calls = 0, under_eevdf = 0;
  const analysis::TwinPredictor fake = [&](const std::string& case_id, const analysis::Samples&,
                                           const loader::LoadOptions& load) {
    ++calls;
    const YAML::Node& p = load.profile->settings;
    under_eevdf += p["machine"]["scheduler"] && p["machine"]["scheduler"].as<std::string>() == "eevdf";
    CHECK_FALSE(p["machine"]["wakeup_granularity"]);
    std::map<std::string, double> figures;
    if (case_id == "countdown-2-all") figures["ratio"] = 1 + us(p, "machine", "wakeup_cpu");
    return figures;
  };
  const std::vector<CalibrationMeasurement> m = {
      {"2.7", "countdown2_ratio", 0, {3, 3, 3}},
      {"2.7", "countdown2_seq", 0, {1e8, 1e8, 1e8}},
  };
  std::vector<analysis::ProfileValue> values = {{"machine.scheduler", "eevdf", "Linux 6.18"}};
  const analysis::BattleFit fit = analysis::fit_battle(m, {"f", "", "", 2}, values, fake);
  REQUIRE(fit.done);
  CHECK(calls > 0);
  CHECK(under_eevdf == calls);
  CHECK(value(values, "machine.wakeup_cpu").text == "2us");
  CHECK(analysis::find_value(values, "machine.wakeup_granularity") == nullptr);
  CHECK(value(values, "machine.wakeup_cpu").comment.find("scheduler (eevdf)") != std::string::npos);
}

TEST_CASE("calibrate: no battle fit without 2.x count-down measurements") {
  std::vector<analysis::ProfileValue> values;
  const analysis::TwinPredictor never = [](const std::string&, const analysis::Samples&,
                                           const loader::LoadOptions&) -> std::map<std::string, double> {
    FAIL("the twin ran");
    return {};
  };
  CHECK_FALSE(analysis::fit_battle({{"3.12", "countdown2_ratio", 0, {1}}, {"3.12", "countdown2_seq", 0, {1e8}}},
                                   {"f", "", "", 2}, values, never)
                  .done);
  CHECK(values.empty());
}
