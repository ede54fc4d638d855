// Scalability fits: Amdahl's law and Gunther's Universal Scalability Law (USL)
// fitted to measured throughput X at concurrency N (workers, threads,
// processes) by constrained least squares on the original scale.
//
//   Amdahl:  X(N) = λ N / (1 + σ (N − 1))
//   USL:     X(N) = λ N / (1 + σ (N − 1) + κ N (N − 1))
//
// λ is the throughput of one worker, σ the serial fraction (contention: the
// share of the work that queues for one shared resource, here the GIL), κ the
// coherency cost (each pair of workers exchanging data; it makes throughput
// fall past the peak N* = sqrt((1 − σ)/κ)). Source: N. J. Gunther, "Guerrilla
// Capacity Planning" (Springer 2007), ch. 4-6, and "A General Theory of
// Computational Scalability Based on Rational Functions" (arXiv:0808.1431).
//
// Bounds: λ > 0, 0 ≤ σ ≤ 1, κ ≥ 0 (Gunther's coefficients are fractions; σ = 1
// is full serialisation, X(N) = λ for every N under Amdahl). Errors (too few
// points, bad values) come back as a result with `error` set, never thrown.
#pragma once

#include <string>
#include <vector>

namespace analysis {

// One measurement. Several replications at the same N are several points.
struct Point {
  double n = 0;  // concurrency, > 0
  double y = 0;  // throughput (per second), or a wall time (s) for a fixed amount of work
};

enum class Model { Amdahl, Usl };
// Time data (a wall time for a fixed total amount of work) is fitted as the
// throughput 1/T: the work per second, up to the constant amount of work.
enum class YKind { Throughput, Time };

const char* model_name(Model m);   // "amdahl", "usl"
const char* y_kind_name(YKind k);  // "throughput", "time"

struct Fit {
  std::string error;  // empty when the fit succeeded; then the fields below hold
  Model model = Model::Usl;
  double lambda = 0, sigma = 0, kappa = 0;
  double r_squared = 0;  // 1 − SS_res/SS_tot on the throughput scale; NaN when every X is equal
  double rmse = 0;       // sqrt(SS_res / points), in the throughput's unit
  int points = 0;
  // Where throughput peaks for N ≥ 1: max(1, sqrt((1 − σ)/κ)); +inf when κ = 0
  // (throughput then only approaches λ/σ). peak_x = X(peak_n), or λ/σ when
  // κ = 0 (+inf when σ = 0 too).
  double peak_n = 0, peak_x = 0;

  bool ok() const { return error.empty(); }
  // R^2 below kPoorFitRSquared: the model explains less than half of the
  // throughput's variation, and its coefficients should not be read.
  bool poor() const { return r_squared < kPoorFitRSquared; }
  double predict(double n) const;  // X(n) with the fitted coefficients

  static constexpr double kPoorFitRSquared = 0.5;
};

// `v`, or 0 when it is within rounding noise of 0 relative to `scale` (a
// least-squares sigma of -2.22e-16 is 0): |v| <= 1e-12 * max(|scale|, 1).
double snap_to_zero(double v, double scale);

// Fits `model` to `points`. Errors: a non-finite or non-positive N or y, fewer
// than 3 distinct N.
Fit fit_scalability(Model model, const std::vector<Point>& points, YKind kind = YKind::Throughput);

}  // namespace analysis
