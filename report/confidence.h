// Confidence intervals of a mean over replications (`gilsim run
// --replications N`): Student's t, with its quantile computed here rather than
// by a statistics library (docs/replications.md).
#pragma once

#include <vector>

namespace report {

// The 0.975 quantile of Student's t distribution with `df` degrees of freedom
// (df >= 1): what a two-sided 95 % interval multiplies the standard error by.
// A table for df 1..30 (to 9 decimals), and beyond it the Cornish-Fisher
// expansion around the normal quantile 1.95996..., exact to 1e-7 there (at
// df 30 it differs from the table by 3e-8).
double student_t_975(int df);

struct MeanInterval {
  double mean = 0;
  double half_width = 0;  // mean +- half_width is the 95 % interval
  double low() const { return mean - half_width; }
  double high() const { return mean + half_width; }
};

// The mean of `samples` (at least 2) and the half-width of its 95 %
// confidence interval, t(0.975, n-1) * s / sqrt(n) with s the sample standard
// deviation. Samples that are all equal give a width of 0; a NaN or an
// infinity among them gives NaN for both.
MeanInterval mean_ci95(const std::vector<double>& samples);

}  // namespace report
