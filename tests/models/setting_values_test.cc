// A run's costs as expressions read them (models/setting_values.h): the
// built-in defaults resolved as the models resolve them, units, and names.
#include "models/setting_values.h"

#include <doctest/doctest.h>

#include <set>

namespace {

double value(const models::SimulationConfig& c, const char* name) {
  const auto v = models::setting_value(c, name);
  REQUIRE_MESSAGE(v.has_value(), name);
  return *v;
}

TEST_CASE("a setting left at its default reads as the value the models use") {
  const models::SimulationConfig c;
  CHECK(value(c, "machine.cores") == 4);
  CHECK(value(c, "machine.wakeup_latency") == doctest::Approx(10e-6));
  CHECK(value(c, "machine.timer_slack") == doctest::Approx(50e-6));
  CHECK(value(c, "machine.wakeup_preemption") == 1);
  CHECK(value(c, "runtime.switch_interval") == doctest::Approx(5e-3));
  // -1 in the config means "the start method's default": read as the models
  // take it (startup_for, start_interval_for, resource_tracker_start_for).
  CHECK(value(c, "runtime.process_startup.fork") == doctest::Approx(13.7e-3));
  CHECK(value(c, "runtime.process_startup.spawn") == doctest::Approx(144e-3));
  CHECK(value(c, "runtime.process_start_interval.fork") == doctest::Approx(1e-3));
  CHECK(value(c, "runtime.resource_tracker_start") ==
        doctest::Approx(static_cast<double>(models::resource_tracker_start_for(c.runtime)) * 1e-9));
  // ... and the pools' costs as pool_costs() resolves them.
  CHECK(value(c, "runtime.pickle_per_call") == doctest::Approx(1e-6));
  CHECK(value(c, "runtime.pickle_per_byte") == doctest::Approx(0.35e-9));
  CHECK(value(c, "runtime.loop_step") == doctest::Approx(2.5e-6));
}

TEST_CASE("a distribution reads as its mean, a flag as 1 or 0") {
  models::SimulationConfig c;
  c.machine.wakeup_latency = sim::Distribution{sim::Distribution::Kind::Uniform, 10'000, 50'000, 0, {}};
  c.machine.wakeup_preemption = false;
  CHECK(value(c, "machine.wakeup_latency") == doctest::Approx(30e-6));
  CHECK(value(c, "machine.wakeup_preemption") == 0);
}

TEST_CASE("names: each once, each a setting path; others are not settings") {
  const auto& names = models::setting_names();
  CHECK(std::set<std::string>(names.begin(), names.end()).size() == names.size());
  for (const auto& n : names) CHECK_MESSAGE(models::is_setting_path(n), n);
  const models::SimulationConfig c;
  CHECK_FALSE(models::setting_value(c, "machine.timer_slak").has_value());
  CHECK_FALSE(models::setting_value(c, "runtime.python").has_value());
  CHECK_FALSE(models::setting_value(c, "wall").has_value());
  CHECK_FALSE(models::is_setting_path("gil.handoffs"));
  CHECK_FALSE(models::is_setting_path("threads.machine.cpu"));
}

}  // namespace
