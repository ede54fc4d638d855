#!/bin/sh
# analysis/examples.sh, as the README runs it: every example sweep, its fits,
# its plots and the report page. Checks what a reader of the page relies on.
#   tests/examples_test.sh GILSIM EXAMPLES_SH WORKDIR
set -eu
gilsim=$1 examples=$2 work=$3
fail() { echo "FAIL: $*" >&2; exit 1; }
rm -rf "$work"
GILSIM=$gilsim "$examples" "$work" > "$work.log" 2>&1 || { cat "$work.log"; fail "examples.sh exited $?"; }
page=$work/report/index.html
[ -f "$page" ] || fail "no report page"
[ "$(ls "$work"/report/plots/*.svg | wc -l)" -eq 4 ] || fail "wanted 4 plots"
[ "$(grep -c '<img' "$page")" -eq 4 ] || fail "wanted 4 images on the page"
for c in 1 2 3 4 5 6 7 8 9 10 11 12; do
  grep -q "^<tr><td>C$c</td>.*class=\"holds\">holds" "$page" || fail "claim C$c does not hold on the page"
done
# The fits the sweeps asked for: CPU-bound threads under the GIL are fully
# serialised (Amdahl's sigma ~ 1); processes are not (sigma near 0, their
# start-up and pickling only).
fits=$work/sweeps/scaling/fits.json
[ -f "$fits" ] || fail "no $fits"
sigma() { grep "\"group\": \"$1\".*\"model\": \"amdahl\"" "$fits" | sed 's/.*"sigma": \([^,]*\),.*/\1/'; }
awk -v s="$(sigma threads_gil)" 'BEGIN { exit !(s > 0.95) }' || fail "threads_gil sigma $(sigma threads_gil), wanted > 0.95"
awk -v s="$(sigma processes)" 'BEGIN { exit !(s < 0.05) }' || fail "processes sigma $(sigma processes), wanted < 0.05"
[ -f "$work/sweeps/switch_interval/fits.json" ] || fail "no switch-interval fits"
echo "ok: 4 plots, 12 claims hold, sigma gil $(sigma threads_gil), processes $(sigma processes)"
