# Sourced by tests/plot_test.sh and tests/report_test.sh after they set
# `work`: fail(), the gnuplot requirement (a missing gnuplot fails the test,
# it is not skipped) and a fresh work directory.
fail() { echo "FAIL: $*" >&2; exit 1; }
command -v gnuplot >/dev/null 2>&1 ||
  fail "gnuplot is not installed: apt-get install -y gnuplot-nox (the plots need it; CI installs it)"
rm -rf "$work" && mkdir -p "$work" || fail "cannot make $work"
