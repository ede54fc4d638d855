// A duration that is either fixed or drawn from a distribution. This is the
// value behind every duration in a scenario (`250ms`, `{exp: 1ms}`, ...).
#pragma once

#include <utility>
#include <vector>

#include "sim/random.h"
#include "sim/time.h"

namespace sim {

struct Distribution {
  enum class Kind { Constant, Exp, Uniform, Normal, Lognormal, Choice };

  Kind kind = Kind::Constant;
  Time a = 0;          // Constant: value; Exp: mean; Uniform: low; Normal: mean; Lognormal: median
  Time b = 0;          // Uniform: high; Normal: standard deviation
  double sigma = 0;    // Lognormal: shape
  std::vector<std::pair<double, Time>> choices;  // Choice: (weight, value), weights > 0

  static Distribution constant(Time t) { return Distribution{Kind::Constant, t, 0, 0, {}}; }

  bool is_constant() const { return kind == Kind::Constant; }
  // Draws a value, rounded to whole nanoseconds and never negative (a normal
  // distribution is truncated at 0, as the scenario format says).
  Time sample(Rng& rng) const { return kind == Kind::Constant ? a : sample_random(rng); }
  // A draw from one of the random kinds.
  Time sample_random(Rng& rng) const;
  // The expected value, for reports and sanity limits.
  double mean() const;
};

}  // namespace sim
