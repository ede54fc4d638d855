#include "report/confidence.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

namespace report {

double student_t_975(int df) {
  if (df < 1) throw std::invalid_argument("student_t_975: df must be at least 1");
  static const double kTable[30] = {
      12.706204736, 4.302652730, 3.182446305, 2.776445105, 2.570581836, 2.446911851,
      2.364624252,  2.306004135, 2.262157163, 2.228138852, 2.200985160, 2.178812830,
      2.160368656,  2.144786688, 2.131449546, 2.119905299, 2.109815578, 2.100922040,
      2.093024054,  2.085963447, 2.079613845, 2.073873068, 2.068657610, 2.063898562,
      2.059538553,  2.055529439, 2.051830516, 2.048407142, 2.045229642, 2.042272456,
  };
  if (df <= 30) return kTable[df - 1];
  // Cornish-Fisher: t = z + g1(z)/df + g2(z)/df^2 + g3(z)/df^3 + g4(z)/df^4
  // (Abramowitz and Stegun 26.7.5), z the normal 0.975 quantile.
  const double z = 1.959963984540054;
  const double z2 = z * z, z3 = z2 * z, z5 = z3 * z2, z7 = z5 * z2, z9 = z7 * z2;
  const double g1 = (z3 + z) / 4;
  const double g2 = (5 * z5 + 16 * z3 + 3 * z) / 96;
  const double g3 = (3 * z7 + 19 * z5 + 17 * z3 - 15 * z) / 384;
  const double g4 = (79 * z9 + 776 * z7 + 1482 * z5 - 1920 * z3 - 945 * z) / 92160;
  const double n = df;
  return z + g1 / n + g2 / (n * n) + g3 / (n * n * n) + g4 / (n * n * n * n);
}

MeanInterval mean_ci95(const std::vector<double>& samples) {
  if (samples.size() < 2) throw std::invalid_argument("mean_ci95: needs at least 2 samples");
  const double n = static_cast<double>(samples.size());
  MeanInterval r;
  // Equal samples (a count that does not depend on the seed): that value,
  // exactly, and no width, rather than a sum's rounding.
  if (std::all_of(samples.begin(), samples.end(), [&](double x) { return x == samples.front(); })) {
    r.mean = samples.front();
    return r;
  }
  double sum = 0;
  for (double x : samples) sum += x;
  r.mean = sum / n;
  if (!std::isfinite(r.mean)) {
    r.mean = r.half_width = std::numeric_limits<double>::quiet_NaN();
    return r;
  }
  // Two passes: the squares of deviations, not of values, so that a metric
  // far from 0 with a small spread keeps its digits.
  double squares = 0;
  for (double x : samples) squares += (x - r.mean) * (x - r.mean);
  const double sd = std::sqrt(squares / (n - 1));
  r.half_width = student_t_975(static_cast<int>(samples.size()) - 1) * sd / std::sqrt(n);
  return r;
}

}  // namespace report
