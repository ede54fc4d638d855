// Statistics accumulators. Each model owns the ones it needs; none allocates
// after construction, so they are safe on the hot path.
#pragma once

#include <cstdint>

#include "sim/time.h"

namespace sim {

// The integral over time of a level that changes in steps (busy cores, number
// of runnable threads): gives its time average and its maximum.
//
// The integral is kept in integers (level x nanoseconds), exactly, in 128
// bits: a busy-core count over an hour is ~4e15, requests in flight over a
// long run can pass 2^63. Only mean() divides, once. (Up to 2^64 this is the
// same value a long double accumulator gave, whose 64-bit mantissa held such
// integers exactly; past it the integers are exact where the long double rounded.)
class TimeWeighted {
 public:
  void set(Time now, std::int64_t level) {
    // The maximum counts levels held for some time: a thread that takes a
    // core and leaves it in the same nanosecond was never busy beside the
    // others (and a picture of the run could not show it).
    if (now > since_ && level_ > max_) max_ = level_;
    area_ += static_cast<Int128>(level_) * (now - since_);
    since_ = now;
    level_ = level;
  }
  void add(Time now, std::int64_t delta) { set(now, level_ + delta); }
  std::int64_t level() const { return level_; }
  // The highest level held for a positive time, the current one included (it
  // lasts until the end).
  std::int64_t max() const { return level_ > max_ ? level_ : max_; }
  // Mean level over [0, end].
  double mean(Time end) const {
    if (end <= 0) return 0;
    const Int128 a = area_ + static_cast<Int128>(level_) * (end - since_);
    return static_cast<double>(static_cast<long double>(a) / static_cast<long double>(end));
  }

 private:
  __extension__ typedef __int128 Int128;  // GCC and Clang; __extension__ keeps -Wpedantic quiet

  Int128 area_ = 0;
  Time since_ = 0;
  std::int64_t level_ = 0;
  std::int64_t max_ = 0;
};

// Count, sum, min and max of observed values (e.g. GIL wait per acquisition).
class Summary {
 public:
  void add(double x) {
    if (n_ == 0 || x < min_) min_ = x;
    if (n_ == 0 || x > max_) max_ = x;
    ++n_;
    sum_ += x;
  }
  std::uint64_t count() const { return n_; }
  double sum() const { return sum_; }
  double mean() const { return n_ ? sum_ / static_cast<double>(n_) : 0; }
  double min() const { return n_ ? min_ : 0; }
  double max() const { return n_ ? max_ : 0; }

 private:
  std::uint64_t n_ = 0;
  double sum_ = 0, min_ = 0, max_ = 0;
};

}  // namespace sim
