#include "sim/parallel.h"

#include <algorithm>
#include <atomic>
#include <exception>
#include <mutex>
#include <thread>
#include <vector>

namespace sim {

void parallel_for(unsigned jobs, std::size_t count, const std::function<void(unsigned, std::size_t)>& fn) {
  std::atomic<std::size_t> next{0};
  std::atomic<bool> stop{false};
  std::mutex mutex;  // guards the error
  std::exception_ptr error;
  std::size_t error_item = count;
  auto worker = [&](unsigned w) {
    while (!stop.load()) {
      const std::size_t item = next.fetch_add(1);
      if (item >= count) return;
      try {
        fn(w, item);
      } catch (...) {
        std::lock_guard<std::mutex> lock(mutex);
        if (item < error_item) {
          error = std::current_exception();
          error_item = item;
        }
        stop.store(true);
      }
    }
  };
  jobs = static_cast<unsigned>(std::max<std::size_t>(1, std::min<std::size_t>(jobs, count)));
  if (jobs == 1) {
    worker(0);
  } else {
    std::vector<std::thread> threads;
    for (unsigned j = 0; j < jobs; ++j) threads.emplace_back(worker, j);
    for (auto& t : threads) t.join();
  }
  if (error) std::rethrow_exception(error);
}

}  // namespace sim
