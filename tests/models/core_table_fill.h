// A core table filled by hand, which stands for the machine when a test
// questions an OS policy on its own (tests/models/cfs_test.cc, eevdf_test.cc).
#pragma once

#include <initializer_list>

#include "models/os_policy.h"

namespace testing {

// A table whose threads 0, 1, ... have had the CPU time given (ms) before
// the test starts; every core idle.
inline models::CoreTable after_running(int cores, std::initializer_list<int> cpu_ms) {
  models::CoreTable t(cores, static_cast<int>(cpu_ms.size()));
  int tid = 0;
  for (int ms : cpu_ms) {
    t.occupy(0, tid++, 0, /*switching=*/false);
    t.vacate(0, ms * sim::kMillisecond);
  }
  return t;
}

}  // namespace testing
