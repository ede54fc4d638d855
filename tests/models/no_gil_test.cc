// No GIL (models/no_gil.cc): a free-threaded build, its GIL disabled.
#include <doctest/doctest.h>

#include "models/simulation.h"
#include "tests/models/gil_harness.h"
#include "tests/models/program_builder.h"

using namespace testing;
using models::simulate;

TEST_CASE("no GIL: nothing serialises, and asking it for a GIL is a bug of the thread model") {
  GilHarness h("3.13t", 2, 2);
  CHECK_FALSE(h.gil->checks().serialises);
  CHECK(h.gil->holder() == -1);
  CHECK_THROWS_AS(h.gil->take(0), models::InvariantViolation);
  CHECK_THROWS_AS(h.gil->drop(0), models::InvariantViolation);
  CHECK_THROWS_AS(h.gil->at_check(0), models::InvariantViolation);
}

TEST_CASE("free-threaded: no GIL, CPU-bound threads run in parallel at the build's overhead") {
  auto c = config(4);
  c.runtime.python = "3.14t";  // its overhead: 1.08
  add(c, "w", {cpu(1 * kSecond)}, 4);
  auto r = simulate(c);
  CHECK(r.metrics["wall"] == doctest::Approx(1.08).epsilon(1e-6));
  CHECK(r.metrics["threads.w.python"] == doctest::Approx(4 * 1.08).epsilon(1e-6));
  CHECK(r.metrics["gil.handoffs"] == 0);
  CHECK(r.metrics["threads.w.gil_wait"] == 0);
  // GIL-releasing native work does not pay the bytecode overhead.
  auto n = c;
  n.threads.clear();
  add(n, "n", {native(1 * kSecond)});
  CHECK(simulate(n).metrics["wall"] == doctest::Approx(1.0));
}
