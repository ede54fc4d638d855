// Seeded random numbers with distributions implemented here, not taken from
// <random>: the standard library's distributions differ between
// implementations, and gilsim's outputs must be byte-identical everywhere.
//
// Generator: xoshiro256** (Blackman & Vigna), seeded through SplitMix64.
// Each simulated entity gets its own stream, derived from (seed, stream id), so
// adding a thread to a scenario does not shift the numbers another thread sees.
#pragma once

#include <cstdint>

namespace sim {

std::uint64_t splitmix64(std::uint64_t& state);

class Rng {
 public:
  explicit Rng(std::uint64_t seed = 1, std::uint64_t stream = 0);

  std::uint64_t next_u64();
  // Uniform on [0, 1) with 53 bits of precision.
  double uniform01() { return static_cast<double>(next_u64() >> 11) * 0x1.0p-53; }
  // Uniform integer on [0, n); n > 0. Lemire's method, without bias.
  std::uint64_t below(std::uint64_t n);
  double uniform(double lo, double hi) { return lo + (hi - lo) * uniform01(); }
  double exponential(double mean);
  double normal(double mean, double sd);  // Box-Muller, both values used
  double lognormal(double median, double sigma);

 private:
  std::uint64_t s_[4];
  double spare_normal_ = 0;
  bool has_spare_ = false;
};

}  // namespace sim
