// What a policy sees of the machine (the core set, the core table) and how a
// policy is found by name.
#include "models/os_policy.h"

#include <doctest/doctest.h>

#include <stdexcept>
#include <string>

#include "models/cfs.h"
#include "models/eevdf.h"

using models::CoreSet;
using models::CoreTable;
using sim::kMicrosecond;
using sim::kMillisecond;

TEST_CASE("a core set answers the lowest core two sets share, across 64-bit words") {
  CoreSet a(200);
  for (int core : {63, 64, 130, 199}) a.insert(core);
  for (int core : {0, 62, 65, 128, 129, 131, 198}) CHECK_FALSE(a.contains(core));
  for (int core : {63, 64, 130, 199}) CHECK(a.contains(core));

  const CoreSet every(200, true);
  CHECK(every.contains(0));
  CHECK(every.contains(199));
  CHECK(a.first_common(every) == 63);
  a.erase(63);
  CHECK_FALSE(a.contains(63));
  CHECK(a.first_common(every) == 64);
  CHECK(a.first() == 64);

  CoreSet high(200);
  CHECK(high.first() == -1);
  high.insert(199);
  high.insert(130);
  CHECK(high.first() == 130);
  CHECK(a.first_common(high) == 130);
  CHECK(high.first_common(a) == 130);
  a.erase(130);
  a.erase(199);
  CHECK(a.first_common(high) == -1);
}

TEST_CASE("the core table keeps the idle cores as threads come and go") {
  CoreTable t(130, 3);
  CHECK(t.first_idle_for(0) == 0);
  for (int core = 0; core < 64; ++core) t.occupy(core, 0, 0, false);
  CHECK(t.first_idle_for(0) == 64);  // the next word
  t.occupy(64, 1, 0, /*switching=*/true);
  CHECK(t.first_idle_for(0) == 65);
  t.vacate(5, 0);
  CHECK(t.thread_on(5) == -1);
  CHECK(t.idle().contains(5));
  CHECK(t.first_idle_for(0) == 5);

  // Affinity narrows it: sched_setaffinity() replaces "every core".
  t.set_affinity(2, {5, 129});
  CHECK(t.allowed(2, 129));
  CHECK_FALSE(t.allowed(2, 6));
  CHECK(t.allowed(1, 6));
  CHECK(t.first_idle_for(2) == 5);
  t.occupy(5, 0, 0, false);
  CHECK(t.first_idle_for(2) == 129);
  t.occupy(129, 1, 0, false);
  CHECK(t.first_idle_for(2) == -1);
  CHECK(t.first_idle_for(1) == 65);
}

TEST_CASE("the core table counts CPU time from the end of the switch to leaving the core") {
  CoreTable t(2, 2);
  t.occupy(1, 0, 1 * kMillisecond, /*switching=*/true);
  CHECK(t.switching(1));
  t.switched(1, 1 * kMillisecond + 2 * kMicrosecond);
  CHECK_FALSE(t.switching(1));
  CHECK(t.since(1) == 1 * kMillisecond + 2 * kMicrosecond);
  t.vacate(1, 5 * kMillisecond);
  CHECK(t.cpu_time(0) == 4 * kMillisecond - 2 * kMicrosecond);
  // Preempted or blocked while the core was still switching to it: nothing ran.
  t.occupy(0, 1, 6 * kMillisecond, /*switching=*/true);
  t.vacate(0, 7 * kMillisecond);
  CHECK(t.cpu_time(1) == 0);
}

TEST_CASE("OS policies by name: CFS is the default, then EEVDF; an unknown name lists the known ones") {
  REQUIRE(!models::os_policies().empty());
  CHECK(models::os_policies().front().name == "cfs");
  const bool same_maker = models::os_policy_maker("cfs") == models::os_policies().front().make;
  CHECK(same_maker);
  models::MachineConfig config;
  CoreTable t(config.cores, 2);
  CHECK(dynamic_cast<models::Cfs*>(models::os_policy_maker("cfs")(config, t).get()) != nullptr);
  CHECK(dynamic_cast<models::Eevdf*>(models::os_policy_maker("eevdf")(config, t).get()) != nullptr);
  CHECK(models::MachineConfig{}.scheduler == models::os_policies().front().name);
  try {
    models::os_policy_maker("bfs");
    FAIL("no exception");
  } catch (const std::invalid_argument& e) {
    CHECK(std::string(e.what()).find("'bfs'") != std::string::npos);
    CHECK(std::string(e.what()).find("cfs, eevdf") != std::string::npos);
  }
}
