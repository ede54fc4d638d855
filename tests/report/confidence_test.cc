#include "report/confidence.h"

#include <doctest/doctest.h>

#include <cmath>
#include <stdexcept>
#include <vector>

TEST_SUITE("confidence") {
  TEST_CASE("student_t_975 against published quantiles of Student's t") {
    // t(0.975, df), as in any table (e.g. NIST/SEMATECH e-Handbook, 1.3.6.7.2).
    struct Known {
      int df;
      double t;
    };
    for (const Known k : {Known{1, 12.7062}, Known{2, 4.3027}, Known{4, 2.7764}, Known{9, 2.2622},
                          Known{10, 2.2281}, Known{20, 2.0860}, Known{29, 2.0452}, Known{30, 2.0423},
                          Known{40, 2.0211}, Known{60, 2.0003}, Known{100, 1.9840}, Known{120, 1.9799}}) {
      CAPTURE(k.df);
      CHECK(report::student_t_975(k.df) == doctest::Approx(k.t).epsilon(6e-5));
    }
    // Beyond the table it tends to the normal quantile, from above.
    CHECK(report::student_t_975(100000) == doctest::Approx(1.959988).epsilon(1e-6));
    CHECK(report::student_t_975(100000) > 1.959963984540054);
  }

  TEST_CASE("the expansion beyond df 30 continues the table: no step at the seam, and it decreases") {
    // The expansion at df 30 would give the table's 2.042272456 to 1e-7; df 31
    // is 2.039513446 (R: qt(0.975, 31)).
    CHECK(report::student_t_975(31) == doctest::Approx(2.039513446).epsilon(1e-8));
    for (int df = 1; df < 200; ++df) {
      CAPTURE(df);
      CHECK(report::student_t_975(df + 1) < report::student_t_975(df));
    }
    CHECK_THROWS_AS(report::student_t_975(0), std::invalid_argument);
  }

  TEST_CASE("mean_ci95: mean, and t * s / sqrt(n)") {
    // 2, 4, 4, 4, 5, 5, 7, 9: mean 5, sample sd sqrt(32/7).
    const auto m = report::mean_ci95({2, 4, 4, 4, 5, 5, 7, 9});
    CHECK(m.mean == doctest::Approx(5));
    CHECK(m.half_width == doctest::Approx(report::student_t_975(7) * std::sqrt(32.0 / 7) / std::sqrt(8.0)));
    CHECK(m.low() == doctest::Approx(5 - m.half_width));
    CHECK(m.high() == doctest::Approx(5 + m.half_width));
    // Two samples: df 1, the widest interval.
    const auto two = report::mean_ci95({1, 3});
    CHECK(two.mean == 2);
    CHECK(two.half_width == doctest::Approx(12.706204736 * std::sqrt(2.0) / std::sqrt(2.0)));
  }

  TEST_CASE("mean_ci95: equal samples give their value exactly and no width; NaN gives NaN") {
    const auto same = report::mean_ci95({0.1, 0.1, 0.1});
    CHECK(same.mean == 0.1);
    CHECK(same.half_width == 0);
    const auto nan = report::mean_ci95({1, std::nan(""), 2});
    CHECK(std::isnan(nan.mean));
    CHECK(std::isnan(nan.half_width));
    CHECK_THROWS_AS(report::mean_ci95({1}), std::invalid_argument);
  }
}
