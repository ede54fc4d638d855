// Machine profiles: their own errors, and where their costs stand among the
// built-in defaults, the scenario's settings and a variant's.
#include "loader/profile.h"

#include <doctest/doctest.h>

#include <memory>
#include <string>

#include "tests/loader/load_helpers.h"

using namespace load_helpers;

namespace {

std::shared_ptr<const loader::Profile> profile(const std::string& yaml) {
  return std::make_shared<const loader::Profile>(loader::load_profile_text(yaml, "p.yaml"));
}

std::string profile_error(const std::string& yaml) {
  return error_from([&] { loader::load_profile_text(yaml, "p.yaml"); });
}

}  // namespace

TEST_SUITE("profile") {
  TEST_CASE("built-in < profile < scenario < variant") {
    loader::LoadOptions options;
    options.profile = profile(
        "profile: test\n"
        "machine: {context_switch: 7us, wakeup_latency: 50us, cores: 16}\n"
        "runtime: {loop_step: 9us, tick: 5ns}\n");
    const loader::Scenario s = load(
        "name: t\n"
        "machine: {context_switch: 3us}\n"
        "threads: [{name: a, run: [cpu: 1ms]}]\n"
        "variants:\n"
        "  plain: {}\n"
        "  own:\n"
        "    machine: {wakeup_latency: 20us}\n"
        "    runtime: {python: \"2.7\"}\n",
        options);
    REQUIRE(s.variants.size() == 2);
    CHECK(s.profile == "test");
    const auto& plain = s.variants[0].config;
    CHECK(plain.machine.cores == 16);                                            // profile
    CHECK(plain.machine.context_switch.mean() == doctest::Approx(3 * kMicrosecond));           // scenario over profile
    CHECK(plain.machine.wakeup_latency.mean() == doctest::Approx(50 * kMicrosecond));          // profile
    CHECK(plain.machine.timeslice == 3 * kMillisecond);                          // built-in
    CHECK(plain.runtime.loop_step == 9 * kMicrosecond);                          // profile
    const auto& own = s.variants[1].config;
    CHECK(own.machine.wakeup_latency.mean() == doctest::Approx(20 * kMicrosecond));            // variant over profile
    CHECK(own.machine.context_switch.mean() == doctest::Approx(3 * kMicrosecond));
    CHECK(own.runtime.tick == 5);                                                // profile, for 2.7
  }

  TEST_CASE("process start-up by start method: profile < scenario < variant, per method; a pool's own wins") {
    loader::LoadOptions options;
    options.profile = profile(
        "profile: test\n"
        "runtime:\n"
        "  process_startup: {fork: 2500us, spawn: 65ms}\n"
        "  process_start_interval: {fork: 800us, spawn: 1200us}\n");
    const loader::Scenario s = load(
        "name: t\n"
        "runtime: {process_startup: {spawn: 100ms}}\n"
        "threads: [{name: a, run: [cpu: 1ms]}]\n"
        "pools: [{name: p, kind: process, workers: 2, startup: 3ms}]\n"
        "variants:\n"
        "  plain: {}\n"
        "  own:\n"
        "    runtime: {process_start_interval: {fork: 1ms}}\n",
        options);
    REQUIRE(s.variants.size() == 2);
    const auto& plain = s.variants[0].config.runtime;
    CHECK(plain.process_startup.fork == 2500 * kMicrosecond);        // profile
    CHECK(plain.process_startup.spawn == 100 * kMillisecond);        // scenario over profile
    CHECK(plain.process_startup.forkserver == -1);                   // built-in
    CHECK(plain.process_start_interval.fork == 800 * kMicrosecond);  // profile
    const auto& own = s.variants[1].config.runtime;
    CHECK(own.process_start_interval.fork == 1 * kMillisecond);       // variant over profile
    CHECK(own.process_start_interval.spawn == 1200 * kMicrosecond);   // profile, beside the variant's
    CHECK(own.process_startup.spawn == 100 * kMillisecond);
    // The pool's own startup wins; its start_interval (fork) is the profile's,
    // the main thread's share of each worker's start.
    const models::Layout& l = s.variants[0].plan->layout();
    REQUIRE(l.threads[0].name == "a");
    CHECK((*l.threads[0].program)[0].duration.a == 800 * kMicrosecond);
    int workers = 0;
    for (const auto& t : l.threads)
      if (t.name == "p_0" || t.name == "p_1") {
        CHECK(t.startup == 3 * kMillisecond);
        ++workers;
      }
    CHECK(workers == 2);
  }

  TEST_CASE("an unknown start method in a profile: its file, line and column, and a did-you-mean") {
    const std::string typo = profile_error("profile: p\nruntime:\n  process_startup: {fork: 2ms, spwan: 60ms}\n");
    CHECK(contains(typo, "p.yaml:3:32"));
    CHECK(contains(typo, "unknown key 'spwan'"));
    CHECK(contains(typo, "did you mean 'spawn'"));
    const std::string negative = profile_error("profile: p\nruntime:\n  process_start_interval: {fork: -1ms}\n");
    CHECK(contains(negative, "p.yaml:3:34"));
    const std::string not_a_map = profile_error("profile: p\nruntime:\n  process_startup: 2ms\n");
    CHECK(contains(not_a_map, "p.yaml:3:20"));
  }

  TEST_CASE("without a profile the built-in costs hold") {
    const loader::Scenario s = load("name: t\nthreads: [{name: a, run: [cpu: 1ms]}]\n");
    CHECK(s.profile.empty());
    CHECK(s.variants[0].config.machine.wakeup_latency.mean() == doctest::Approx(10 * kMicrosecond));
    CHECK(s.variants[0].config.machine.cores == 4);
  }

  TEST_CASE("a distribution in a profile is one value, replaced whole by the scenario's") {
    loader::LoadOptions options;
    options.profile = profile("profile: p\nmachine: {wakeup_latency: {exp: 30us}}\n");
    const auto from_profile = load("name: t\nthreads: [{name: a, run: [cpu: 1ms]}]\n", options);
    CHECK(from_profile.variants[0].config.machine.wakeup_latency.mean() == doctest::Approx(30 * kMicrosecond));
    const auto over = load(
        "name: t\nmachine: {wakeup_latency: {uniform: [1us, 3us]}}\nthreads: [{name: a, run: [cpu: 1ms]}]\n",
        options);
    CHECK(over.variants[0].config.machine.wakeup_latency.mean() == doctest::Approx(2 * kMicrosecond));
  }

  TEST_CASE("a profile's errors name the profile's file, line and column") {
    const std::string typo = profile_error("profile: p\nmachine:\n  wakup_latency: 5us\n");
    CHECK(contains(typo, "p.yaml:3:3"));
    CHECK(contains(typo, "did you mean 'wakeup_latency'"));
    const std::string bad_value = profile_error("profile: p\nmachine: {cores: 0}\n");
    CHECK(contains(bad_value, "p.yaml:2:"));
    CHECK(contains(bad_value, "cores"));
    const std::string top = profile_error("profile: p\nmachin: {cores: 2}\n");
    CHECK(contains(top, "p.yaml:2:1"));
    CHECK(contains(top, "did you mean 'machine'"));
  }

  TEST_CASE("a profile holds costs, not the program") {
    for (const std::string& key : loader::program_runtime_keys()) {
      const std::string e = profile_error("profile: p\nruntime:\n  " + key + ": 1\n");
      CAPTURE(key);
      CHECK(contains(e, "p.yaml:3:3"));
      CHECK(contains(e, "describes the program, not the machine"));
    }
    CHECK(contains(profile_error("profile: p\nthreads: []\n"), "unknown key 'threads'"));
  }

  TEST_CASE("a profile needs a name and some costs") {
    CHECK(contains(profile_error(""), "the profile is empty"));
    CHECK(contains(profile_error("- a\n"), "a profile is a map"));
    CHECK(contains(profile_error("machine: {cores: 2}\n"), "missing 'profile'"));
    CHECK(contains(profile_error("profile: p\ndescription: nothing\n"), "sets no costs"));
  }

  TEST_CASE("a missing profile file is an error that names it") {
    const std::string e = error_from([] { loader::load_profile_file("/nonexistent/gilsim.yaml"); });
    CHECK(contains(e, "cannot read profile /nonexistent/gilsim.yaml"));
  }
}
