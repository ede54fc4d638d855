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
  // Written as calibrate writes them: a key of a map ("runtime.process_startup.fork")
  // under its map's key.
  std::vector<analysis::ProfileValue> values;
  for (const auto& row : analysis::fit_table()) values.push_back({row.key, "10ns", "a comment"});
  const std::string text = analysis::write_profile(analysis::ProfileHeader{"keys", "", "", 0}, values, {});
  CAPTURE(text);
  CHECK_NOTHROW(loader::load_profile_text(text, "keys.yaml"));
  const loader::Profile p = loader::load_profile_text(text, "keys.yaml");
  CHECK(p.settings["runtime"]["process_startup"]["spawn"].as<std::string>() == "10ns");
  CHECK(p.settings["runtime"]["process_start_interval"]["forkserver"].as<std::string>() == "10ns");
}

TEST_CASE("calibrate: process start-up by start method, the child's less the parent's share") {
  // The newest Python's start + join and its parent's CPU in start(): fork
  // 2.5 ms less 0.8 ms; spawn 65 ms less 1.2 ms; forkserver's parent share
  // not measured (an interpreter before 3.7 has no thread_time), so its
  // start-up is the whole start + join. 3.9's and 2.7's are left out.
  std::vector<analysis::CalibrationMeasurement> m = {
      {"2.7", "process_fork", 0, {14e6, 15e6, 14.5e6}},
      {"3.9", "process_fork", 0, {3e6, 3e6, 3e6}},
      {"3.9", "process_start_cpu_fork", 0, {1e6, 1e6, 1e6}},
      {"3.12", "process_fork", 0, {2.4e6, 2.6e6, 2.5e6}},
      {"3.12", "process_start_cpu_fork", 0, {0.78e6, 0.82e6, 0.8e6}},
      {"3.12", "process_spawn", 0, {64e6, 66e6, 65e6}},
      {"3.12", "process_start_cpu_spawn", 0, {1.1e6, 1.3e6, 1.2e6}},
      {"3.12", "process_forkserver", 0, {80e6, 90e6, 85e6}}};
  const auto fitted = by_key(analysis::fit_profile(m));
  CHECK(fitted.at("runtime.process_startup.fork").value == doctest::Approx(1.7e6));
  CHECK(fitted.at("runtime.process_startup.fork").points == 1);  // the start + join's
  CHECK(fitted.at("runtime.process_start_interval.fork").value == doctest::Approx(0.8e6));
  CHECK(fitted.at("runtime.process_startup.spawn").value == doctest::Approx(63.8e6));
  CHECK(fitted.at("runtime.process_start_interval.spawn").value == doctest::Approx(1.2e6));
  CHECK(fitted.at("runtime.process_startup.forkserver").value == doctest::Approx(85e6));
  CHECK(fitted.at("runtime.process_startup.forkserver").points == 1);
  CHECK(fitted.count("runtime.process_start_interval.forkserver") == 0);
  // Written under the maps' keys, and loaded back as the runtime's costs.
  const std::string text = analysis::write_profile(analysis::ProfileHeader{"p", "", "", 0},
                                                   analysis::fit_profile(m), m);
  CAPTURE(text);
  const loader::Profile p = loader::load_profile_text(text, "p.yaml");
  CHECK(p.settings["runtime"]["process_startup"]["fork"].as<std::string>() == "1.7ms");
  CHECK(p.settings["runtime"]["process_startup"]["spawn"].as<std::string>() == "63.8ms");
  CHECK(p.settings["runtime"]["process_start_interval"]["spawn"].as<std::string>() == "1.2ms");
  CHECK(text.find("less process_start_cpu_fork: 3.12: 800us") != std::string::npos);
}

TEST_CASE("calibrate: the resource tracker's start is a first spawn start less a later one; before 3.10 less a fork") {
  // 3.12 (fork_exec with vfork): the first start 1.3 ms, the later ones 0.5 ms.
  std::vector<analysis::CalibrationMeasurement> m = {
      {"3.12", "process_start_cpu_fork", 0, {0.8e6, 0.8e6, 0.8e6}},
      {"3.12", "process_start_cpu_spawn", 0, {0.5e6, 0.5e6, 0.5e6}},
      {"3.12", "process_first_start_cpu_spawn", 0, {1.2e6, 1.4e6, 1.3e6}}};
  auto fitted = by_key(analysis::fit_profile(m));
  CHECK(fitted.at("runtime.resource_tracker_start").value == doctest::Approx(0.8e6));
  CHECK(fitted.at("runtime.process_start_interval.spawn").value == doctest::Approx(0.5e6));
  // The same measured with 3.9, whose fork_exec forks: the profile holds a
  // vfork Python's values (the model adds the fork back for 3.9), so each
  // loses the fork start's share.
  for (auto& x : m) x.python = "3.9";
  m[1].rounds = {1.3e6, 1.3e6, 1.3e6};
  m[2].rounds = {2.9e6, 2.9e6, 2.9e6};
  fitted = by_key(analysis::fit_profile(m));
  CHECK(fitted.at("runtime.process_start_interval.spawn").value == doctest::Approx(0.5e6));
  CHECK(fitted.at("runtime.resource_tracker_start").value == doctest::Approx(0.8e6));
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

TEST_CASE("calibrate: the kernel calibrate.py reports gives the scheduler") {
  const auto out = analysis::parse_calibration_output(
      "{\"python\": \"3.12\", \"cpus\": 2, \"system\": \"Linux\", \"kernel\": \"6.18.44-fc-v1272\", "
      "\"measurements\": []}");
  CHECK(out.system == "Linux");
  CHECK(out.kernel == "6.18.44-fc-v1272");
  CHECK(analysis::parse_calibration_output("{\"python\": \"2.7\", \"measurements\": []}").kernel.empty());
  using Os = analysis::MeasuredOs;
  auto policy = [](std::vector<Os> oses) {
    const auto v = analysis::fit_scheduler(oses);
    return v ? v->text : std::string("none");
  };
  CHECK(policy({{"Linux", "6.18.44-fc-v1272"}}) == "eevdf");
  CHECK(policy({{"Linux", "6.6.0"}}) == "eevdf");  // EEVDF's first release
  CHECK(policy({{"Linux", "6.5.13"}}) == "cfs");
  CHECK(policy({{"Linux", "5.15.0-91-generic"}}) == "cfs");
  // Lines from before calibrate.py reported it are left aside.
  CHECK(policy({{"", ""}, {"Linux", "6.8.0"}, {"Linux", "6.8.0"}}) == "eevdf");
  CHECK(policy({}) == "none");
  CHECK(policy({{"", ""}}) == "none");
  // Not Linux, a release that is not one, or kernels on both sides of 6.6: no guess.
  CHECK(policy({{"Darwin", "23.1.0"}}) == "none");
  CHECK(policy({{"Linux", "six"}}) == "none");
  CHECK(policy({{"Linux", "6.1.0"}, {"Linux", "6.8.0"}}) == "none");
  const auto v = analysis::fit_scheduler({{"Linux", "6.8.0"}, {"Linux", "6.8.0"}});
  REQUIRE(v);
  CHECK(v->key == "machine.scheduler");
  CHECK(v->comment.find("Linux 6.8.0)") != std::string::npos);  // named once
  // Each release named, one that begins another's too.
  const auto two = analysis::fit_scheduler({{"Linux", "6.8.12"}, {"Linux", "6.8"}});
  REQUIRE(two);
  CHECK(two->comment.find("Linux 6.8, 6.8.12)") != std::string::npos);
}

TEST_CASE("calibrate: a timed wait's CPU beside a spinner is machine.timed_wait_cpu; alone, a comment") {
  const std::vector<analysis::CalibrationMeasurement> m = {
      {"3.12", "timedwait_cpu_busy", 1000, {18000, 20000, 22000}},
      {"3.9", "timedwait_cpu_busy", 1000, {24000, 26000, 28000}},
      {"3.12", "timedwait_cpu_alone", 1000, {30000, 30000, 30000}},
  };
  const auto fitted = by_key(analysis::fit_profile(m));
  // Both 3.x interpreters, equal spreads: the mean of their medians.
  CHECK(fitted.at("machine.timed_wait_cpu").value == doctest::Approx(23000));
  CHECK(fitted.at("machine.timed_wait_cpu").points == 2);
  const std::string text = analysis::write_profile({"t", "", "", 2}, analysis::fit_profile(m), m);
  CHECK(loader::load_profile_text(text, "t.yaml").settings["machine"]["timed_wait_cpu"].as<std::string>() == "23us");
  CHECK(text.find("# timedwait_cpu_alone") != std::string::npos);
}
