#include "analysis/fit.h"

#include <Eigen/Dense>
#include <algorithm>
#include <cmath>
#include <limits>
#include <set>
#include <sstream>

namespace analysis {

namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

// Coefficients in the order (λ, σ, κ).
using Params = Eigen::Vector3d;

struct Problem {
  Eigen::VectorXd n, x;  // concurrency and throughput
  bool fit_kappa = true;
};

double model_x(const Params& p, double n) {
  return p[0] * n / (1 + p[1] * (n - 1) + p[2] * n * (n - 1));
}

double cost(const Problem& pr, const Params& p) {
  double s = 0;
  for (Eigen::Index i = 0; i < pr.n.size(); ++i) {
    double r = model_x(p, pr.n[i]) - pr.x[i];
    s += r * r;
  }
  return s;
}

// --- the start: a linear least-squares problem with linear constraints ------
//
// Dividing the model by X and multiplying by N/λ makes it linear (Gunther,
// GCP §5.5 fits the same quadratic to N/C − 1):
//   N/X = a + b (N − 1) + c N (N − 1),  a = 1/λ, b = σ/λ, c = κ/λ,
// with b ≥ 0, c ≥ 0 and b ≤ a (σ ≤ 1). Each row is weighted by X²/N, which
// turns its residual into (to first order) the residual of X itself, so the
// start is already close to the fit on the original scale. A convex quadratic
// problem's minimum is the equality-constrained minimum of one of its active
// sets, so trying every feasible active set and keeping the best is exact.

// One active set: v = (a, b, c) = T u with u free.
struct ActiveSet {
  Eigen::MatrixXd t;
};

std::vector<ActiveSet> active_sets(bool fit_kappa) {
  std::vector<ActiveSet> sets;
  auto add = [&](std::initializer_list<std::initializer_list<double>> rows, int cols) {
    Eigen::MatrixXd t(3, cols);
    int r = 0;
    for (auto row : rows) {
      int c = 0;
      for (double v : row) t(r, c++) = v;
      ++r;
    }
    sets.push_back({t});
  };
  if (fit_kappa) {
    add({{1, 0, 0}, {0, 1, 0}, {0, 0, 1}}, 3);  // nothing active
    add({{1, 0}, {0, 0}, {0, 1}}, 2);           // b = 0
    add({{1, 0}, {1, 0}, {0, 1}}, 2);           // b = a
  }
  add({{1, 0}, {0, 1}, {0, 0}}, 2);  // c = 0
  add({{1}, {0}, {0}}, 1);           // b = 0, c = 0
  add({{1}, {1}, {0}}, 1);           // b = a, c = 0
  return sets;
}

Params linear_start(const Problem& pr) {
  const Eigen::Index m = pr.n.size();
  Eigen::MatrixXd a(m, 3);
  Eigen::VectorXd rhs(m);
  for (Eigen::Index i = 0; i < m; ++i) {
    double n = pr.n[i], w = pr.x[i] * pr.x[i] / n;
    a.row(i) << w, w * (n - 1), w * n * (n - 1);
    rhs[i] = w * n / pr.x[i];
  }
  Params best(0, 0, 0);
  double best_cost = kInf;
  for (const auto& set : active_sets(pr.fit_kappa)) {
    Eigen::MatrixXd at = a * set.t;
    Eigen::VectorXd u = at.colPivHouseholderQr().solve(rhs);
    Eigen::Vector3d v = set.t * u;
    // Feasible within rounding; a must be positive for λ = 1/a.
    double tol = 1e-12 * std::max(1.0, std::abs(v[0]));
    if (!(v[0] > 0) || v[1] < -tol || v[2] < -tol || v[1] > v[0] + tol) continue;
    double c = (at * u - rhs).squaredNorm();
    if (c < best_cost) {
      best_cost = c;
      best = Params(1 / v[0], std::clamp(v[1] / v[0], 0.0, 1.0), std::max(0.0, v[2] / v[0]));
    }
  }
  if (best_cost == kInf) {
    // Cannot happen with 3 distinct N (b = a, c = 0 with a > 0 is always
    // feasible when N/X > 0), but keep a valid start: λ from the data, σ = 1.
    best = Params(pr.x.mean(), 1, 0);
  }
  return best;
}

// --- the refinement: projected Levenberg-Marquardt on the original scale ---
//
// Minimises Σ (X(N_i) − X_i)² over the box λ > 0, 0 ≤ σ ≤ 1, κ ≥ 0. A
// coefficient on a bound whose gradient points out of the box is held there
// for the step; every trial point is projected into the box and accepted only
// if it lowers the cost, so the result is feasible and no worse than the start.

Params project(Params p, bool fit_kappa) {
  p[0] = std::max(p[0], std::numeric_limits<double>::min());
  p[1] = std::clamp(p[1], 0.0, 1.0);
  p[2] = fit_kappa ? std::max(p[2], 0.0) : 0.0;
  return p;
}

Params refine(const Problem& pr, Params p) {
  const Eigen::Index m = pr.n.size();
  double current = cost(pr, p);
  double mu = 1e-3;
  for (int iter = 0; iter < 1000 && current > 0; ++iter) {
    Eigen::MatrixXd j(m, 3);
    Eigen::VectorXd r(m);
    for (Eigen::Index i = 0; i < m; ++i) {
      double n = pr.n[i], d = 1 + p[1] * (n - 1) + p[2] * n * (n - 1);
      double f = p[0] * n / d;
      r[i] = f - pr.x[i];
      j.row(i) << n / d, -f * (n - 1) / d, -f * n * (n - 1) / d;
    }
    Eigen::Vector3d g = j.transpose() * r;
    // Descent goes along −g: held where that leaves the box.
    bool is_free[3] = {true, !((p[1] <= 0 && g[1] > 0) || (p[1] >= 1 && g[1] < 0)),
                       pr.fit_kappa && !(p[2] <= 0 && g[2] > 0)};
    std::vector<int> idx;
    for (int k = 0; k < 3; ++k)
      if (is_free[k]) idx.push_back(k);
    const int f = static_cast<int>(idx.size());
    Eigen::MatrixXd h(f, f);
    Eigen::VectorXd gf(f);
    for (int a = 0; a < f; ++a) {
      gf[a] = g[idx[a]];
      for (int b = 0; b < f; ++b) h(a, b) = j.col(idx[a]).dot(j.col(idx[b]));
    }
    bool accepted = false;
    while (mu < 1e20) {
      Eigen::MatrixXd damped = h;
      for (int a = 0; a < f; ++a) damped(a, a) += mu * std::max(h(a, a), 1e-300);
      Eigen::VectorXd step = damped.ldlt().solve(-gf);
      Params trial = p;
      for (int a = 0; a < f; ++a) trial[idx[a]] += step[a];
      trial = project(trial, pr.fit_kappa);
      double c = cost(pr, trial);
      if (c < current) {
        bool converged = current - c <= 1e-15 * current;
        p = trial;
        current = c;
        mu = std::max(mu / 3, 1e-12);
        accepted = true;
        if (converged) return p;
        break;
      }
      mu *= 4;
    }
    if (!accepted) break;  // no step lowers the cost: a (constrained) minimum
  }
  return p;
}

std::string number(double v) {
  std::ostringstream s;
  s.precision(6);
  s << v;
  return s.str();
}

Fit failed(Model model, std::string message) {
  Fit f;
  f.model = model;
  f.error = std::move(message);
  return f;
}

}  // namespace

const char* model_name(Model m) { return m == Model::Amdahl ? "amdahl" : "usl"; }
const char* y_kind_name(YKind k) { return k == YKind::Time ? "time" : "throughput"; }

double Fit::predict(double n) const { return model_x(Params(lambda, sigma, kappa), n); }

double snap_to_zero(double v, double scale) {
  return std::fabs(v) <= 1e-12 * std::max(std::fabs(scale), 1.0) ? 0.0 : v;
}

Fit fit_scalability(Model model, const std::vector<Point>& points, YKind kind) {
  const char* y_name = kind == YKind::Time ? "time" : "throughput";
  std::set<double> distinct;
  for (std::size_t i = 0; i < points.size(); ++i) {
    const Point& p = points[i];
    std::string where = " (point " + std::to_string(i + 1) + ")";
    if (!std::isfinite(p.n) || p.n <= 0)
      return failed(model, "N must be a positive finite number, not " + number(p.n) + where);
    if (!std::isfinite(p.y) || p.y <= 0)
      return failed(model, std::string(y_name) + " must be a positive finite number, not " +
                               number(p.y) + where);
    distinct.insert(p.n);
  }
  const int needed = 3;
  if (static_cast<int>(distinct.size()) < needed)
    return failed(model, "a fit needs at least " + std::to_string(needed) + " distinct N, got " +
                             std::to_string(distinct.size()));

  Problem pr;
  pr.fit_kappa = model == Model::Usl;
  const Eigen::Index m = static_cast<Eigen::Index>(points.size());
  pr.n.resize(m);
  pr.x.resize(m);
  for (Eigen::Index i = 0; i < m; ++i) {
    pr.n[i] = points[i].n;
    pr.x[i] = kind == YKind::Time ? 1 / points[i].y : points[i].y;
  }
  Params p = refine(pr, linear_start(pr));

  Fit f;
  f.model = model;
  // Coefficients and scores within rounding noise of 0 are 0: sigma and kappa
  // are fractions, lambda and the RMSE are on the throughput's scale.
  const double scale = pr.x.cwiseAbs().maxCoeff();
  f.lambda = snap_to_zero(p[0], scale);
  f.sigma = snap_to_zero(p[1], 1);
  f.kappa = snap_to_zero(p[2], 1);
  f.points = static_cast<int>(m);
  double ss_res = cost(pr, p);
  double ss_tot = (pr.x.array() - pr.x.mean()).square().sum();
  f.r_squared = ss_tot > 0 ? snap_to_zero(1 - ss_res / ss_tot, 1) : std::numeric_limits<double>::quiet_NaN();
  f.rmse = snap_to_zero(std::sqrt(ss_res / static_cast<double>(m)), scale);
  if (f.kappa > 0) {
    f.peak_n = std::max(1.0, std::sqrt((1 - f.sigma) / f.kappa));
    f.peak_x = f.predict(f.peak_n);
  } else {
    f.peak_n = kInf;
    f.peak_x = f.sigma > 0 ? f.lambda / f.sigma : kInf;
  }
  return f;
}

}  // namespace analysis
