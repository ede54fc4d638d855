// gilsim calibrate's fit (analysis/calibration_fit.cc) on recorded
// measurements (tests/validation/calibrate_recorded.jsonl), against values
// computed by hand, and the profile it writes, which --profile must load.
#include <doctest/doctest.h>

#include <fstream>
#include <map>
#include <string>
#include <vector>

#include "analysis/calibration_fit.h"
#include "loader/profile.h"
#include "loader/input_error.h"

namespace {

std::vector<analysis::CalibrationMeasurement> recorded() {
  std::ifstream in(GILSIM_SOURCE_DIR "/tests/validation/calibrate_recorded.jsonl");
  REQUIRE(in);
  std::vector<analysis::CalibrationMeasurement> all;
  for (std::string line; std::getline(in, line);)
    for (auto& m : analysis::parse_calibration_output(line).measurements) all.push_back(m);
  return all;
}

std::map<std::string, analysis::FittedValue> by_key(const std::vector<analysis::FittedValue>& fitted) {
  std::map<std::string, analysis::FittedValue> out;
  for (const auto& f : fitted) out[f.row->key] = f;
  return out;
}

}  // namespace

TEST_CASE("calibrate: the fit of the recorded measurements is the hand-computed one") {
  const auto fitted = by_key(analysis::fit_profile(recorded()));
  // Half the ping-pong round trips: medians 22 us (3.9) and 42 us (3.12),
  // each with a spread of 2 us (half its rounds' range): equal weights, the
  // mean 32 us, halved; 2.7's 140 us is left out (it battles for the old GIL).
  CHECK(fitted.at("machine.wakeup_latency").value == doctest::Approx(16000));
  CHECK(fitted.at("machine.wakeup_latency").points == 2);
  // tick: 2.7's 30 ns iteration over its 3 ticking opcodes; 3.12's not counted.
  CHECK(fitted.at("runtime.tick").value == doctest::Approx(10));
  CHECK(fitted.at("runtime.tick").points == 1);
  // eval_breaker_granularity: 3.12's iteration only.
  CHECK(fitted.at("runtime.eval_breaker_granularity").value == doctest::Approx(40));
  // increment: the newest Python's, 70 ns (2.7's 50 ns left out).
  CHECK(fitted.at("runtime.increment_time").value == doctest::Approx(70));
  CHECK(fitted.at("runtime.increment_time").points == 1);
  // pickling on 3.12's exact line 1000 + 0.5 x (x = 0, 1000, 2000); 2.7's
  // 7 us at 16 B is left out.
  CHECK(fitted.at("runtime.pickle_per_call").value == doctest::Approx(1000));
  CHECK(fitted.at("runtime.pickle_per_byte").value == doctest::Approx(0.5));
  CHECK(fitted.at("runtime.pickle_per_byte").points == 3);
  // pipes through (100, 2100) and (10100, 5100): slope 0.3, intercept 2070.
  CHECK(fitted.at("runtime.ipc_per_call").value == doctest::Approx(2070));
  CHECK(fitted.at("runtime.ipc_per_byte").value == doctest::Approx(0.3));
  CHECK(fitted.at("runtime.loop_step").value == doctest::Approx(3000));
  CHECK(fitted.size() == 9);
}

TEST_CASE("calibrate: the least squares weigh each point by its spread") {
  // Two 3.x interpreters' count-down iterations: 50 ns with rounds 40..60
  // (spread 10) and 80 ns with rounds 79..81 (spread 1, the 2 % floor: 1.6):
  // weights 1/100 and 1/2.56, so the fit is (50/100 + 80/2.56) / (1/100 + 1/2.56).
  std::vector<analysis::CalibrationMeasurement> m = {{"3.9", "countdown_iter", 0, {40, 60, 50}},
                                                     {"3.12", "countdown_iter", 0, {79, 81, 80}}};
  const auto fitted = by_key(analysis::fit_profile(m));
  const double expected = (50 / 100.0 + 80 / 2.56) / (1 / 100.0 + 1 / 2.56);
  CHECK(fitted.at("runtime.eval_breaker_granularity").value == doctest::Approx(expected));
}

TEST_CASE("calibrate: the newest interpreter is 3.12, not 3.9") {
  std::vector<analysis::CalibrationMeasurement> m = {{"3.9", "loop_step", 0, {5000, 5000, 5000}},
                                                     {"3.12", "loop_step", 0, {3000, 3000, 3000}},
                                                     {"2.7", "increment", 0, {50, 50, 50}}};
  const auto fitted = by_key(analysis::fit_profile(m));
  CHECK(fitted.at("runtime.loop_step").value == doctest::Approx(3000));
  CHECK(fitted.count("runtime.increment_time") == 0);  // 2.7 is not the newest
}

TEST_CASE("calibrate: a fit below the key's least value is clamped, and says so") {
  // An increment less the empty loop can come out below 0 on a noisy machine.
  std::vector<analysis::CalibrationMeasurement> m = {{"3.12", "increment", 0, {-3, -1, -2}}};
  const auto fitted = by_key(analysis::fit_profile(m));
  CHECK(fitted.at("runtime.increment_time").value == 2);  // the loader's least
  CHECK(fitted.at("runtime.increment_time").clamped);
}

TEST_CASE("calibrate: a slope needs two sizes") {
  std::vector<analysis::CalibrationMeasurement> m = {{"3.12", "pickle_bytes", 16, {500, 500, 500}}};
  const auto fitted = by_key(analysis::fit_profile(m));
  CHECK(fitted.count("runtime.pickle_per_byte") == 0);
  CHECK(fitted.at("runtime.pickle_per_call").value == doctest::Approx(500));
}

TEST_CASE("calibrate: every fit-table key is one a profile accepts") {
  // A profile with every key of the table loads: the table uses only keys
  // the loader knows today.
  std::string text = "profile: keys\nmachine:\n";
  for (const auto& row : analysis::fit_table())
    if (std::string(row.key).rfind("machine.", 0) == 0) text += "  " + std::string(row.key).substr(8) + ": 10ns\n";
  text += "runtime:\n";
  for (const auto& row : analysis::fit_table())
    if (std::string(row.key).rfind("runtime.", 0) == 0) text += "  " + std::string(row.key).substr(8) + ": 10ns\n";
  CHECK_NOTHROW(loader::load_profile_text(text, "keys.yaml"));
}

TEST_CASE("calibrate: the written profile loads, with each value and its measurements") {
  const auto m = recorded();
  analysis::ProfileHeader h{"test-machine", "from the fixture", "AMD EPYC", 2};
  const std::string text = analysis::write_profile(h, analysis::fit_profile(m), m);
  const loader::Profile p = loader::load_profile_text(text, "written.yaml");
  CHECK(p.name == "test-machine");
  CHECK(p.settings["machine"]["cores"].as<int>() == 2);
  CHECK(p.settings["machine"]["wakeup_latency"].as<std::string>() == "16us");
  CHECK(p.settings["runtime"]["tick"].as<std::string>() == "10ns");
  CHECK(p.settings["runtime"]["pickle_per_byte"].as<std::string>() == "0.5ns");
  CHECK(p.settings["runtime"]["ipc_per_call"].as<std::string>() == "2.07us");
  // The measurements as comments: a keyed one with its spread, and one no key takes.
  CHECK(text.find("3.9: 22us (20us..24us,") != std::string::npos);  // comments wrap at ~100 columns
  CHECK(text.find("# handoffs_per_s") != std::string::npos);
  CHECK(text.find("9.4e+04/s") != std::string::npos);
  CHECK(text.find("sleep_overshoot") != std::string::npos);
}

TEST_CASE("calibrate: bad output of calibrate.py is an error") {
  CHECK_THROWS_AS(analysis::parse_calibration_output("not json"), std::runtime_error);
  CHECK_THROWS_AS(analysis::parse_calibration_output("{\"cpus\": 2}"), std::runtime_error);
  CHECK_THROWS_AS(analysis::parse_calibration_output("{\"python\": \"3.12\"}"), std::runtime_error);
  CHECK_THROWS_AS(analysis::parse_calibration_output(
                      "{\"python\": \"3.12\", \"measurements\": [{\"name\": \"x\", \"rounds\": [\"a\"]}]}"),
                  std::runtime_error);
}
