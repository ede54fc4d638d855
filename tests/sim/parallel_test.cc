// Items on several threads with the outcome of a serial run.
#include "sim/parallel.h"

#include <doctest/doctest.h>

#include <atomic>
#include <chrono>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

TEST_SUITE("parallel") {
  TEST_CASE("parallel_for: every item runs once, on workers numbered below jobs") {
    for (unsigned jobs : {1u, 2u, 3u, 8u}) {
      std::vector<std::atomic<int>> runs(100);
      std::atomic<unsigned> highest_worker{0};
      sim::parallel_for(jobs, runs.size(), [&](unsigned w, std::size_t i) {
        ++runs[i];
        unsigned seen = highest_worker.load();
        while (w > seen && !highest_worker.compare_exchange_weak(seen, w)) {
        }
      });
      for (const auto& r : runs) CHECK(r.load() == 1);
      CHECK(highest_worker.load() < jobs);
    }
  }

  TEST_CASE("parallel_for: one job runs the items in order on the calling thread") {
    std::vector<std::size_t> order;
    const auto caller = std::this_thread::get_id();
    bool same_thread = true;
    sim::parallel_for(1, 5, [&](unsigned, std::size_t i) {
      order.push_back(i);
      same_thread = same_thread && std::this_thread::get_id() == caller;
    });
    CHECK(order == std::vector<std::size_t>{0, 1, 2, 3, 4});
    CHECK(same_thread);
  }

  TEST_CASE("parallel_for: the error rethrown is the lowest item's, whatever the number of jobs") {
    for (unsigned jobs : {1u, 2u, 4u}) {
      // Items 7 and 3 throw; 7 may throw first on another thread, but a
      // serial run meets 3 first.
      std::string what;
      try {
        sim::parallel_for(jobs, 50, [&](unsigned, std::size_t i) {
          if (i == 7) throw std::runtime_error("item 7");
          if (i == 3) {
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
            throw std::runtime_error("item 3");
          }
        });
      } catch (const std::runtime_error& e) {
        what = e.what();
      }
      CHECK(what == "item 3");
    }
  }

  TEST_CASE("parallel_for: no item at all runs nothing") {
    int runs = 0;
    sim::parallel_for(4, 0, [&](unsigned, std::size_t) { ++runs; });
    CHECK(runs == 0);
  }
}
