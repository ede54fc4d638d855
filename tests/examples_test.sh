#!/bin/sh
# analysis/examples.sh, as docs/analysis.md runs it: every example sweep, its fits,
# its plots and the report page. Checks what a reader of the page relies on.
#   tests/examples_test.sh GILSIM EXAMPLES_SH WORKDIR
set -eu
gilsim=$1 examples=$2 work=$3
fail() { echo "FAIL: $*" >&2; exit 1; }
rm -rf "$work"
GILSIM=$gilsim "$examples" "$work" > "$work.log" 2>&1 || { cat "$work.log"; fail "examples.sh exited $?"; }
page=$work/report/index.html
[ -f "$page" ] || fail "no report page"
[ "$(ls "$work"/report/plots/*.svg | wc -l)" -eq 5 ] || fail "wanted 5 plots"
[ "$(grep -c '<img' "$page")" -eq 5 ] || fail "wanted 5 images on the page"
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
# C8's capacities: one event loop, or threads sharing one GIL, stop keeping
# up near 1/(20 ms of CPU) = 50 requests/s; the hybrid's 5 worker processes
# near 5 times that (less the broker's and the pickling's share).
sat=$work/sweeps/c8_latency_vs_load/saturation.json
[ -f "$sat" ] || fail "no $sat"
at() { grep "\"group\": \"$1\"" "$sat" | sed 's/.*"saturates": {"where": "between", "at": \([^,]*\),.*/\1/'; }
for v in async_inline sync_threads; do
  awk -v s="$(at $v)" 'BEGIN { exit !(s > 45 && s < 55) }' || fail "$v saturates at '$(at $v)', wanted 45..55/s"
done
awk -v h="$(at async_celery)" -v i="$(at async_inline)" 'BEGIN { exit !(h > 4 * i && h < 5.2 * i) }' ||
  fail "async_celery saturates at '$(at async_celery)', wanted 4..5.2 x async_inline's $(at async_inline)"
grep -q 'async_celery saturates at' "$page" || fail "no saturation points under the latency plot"
# Overload with clients that time out: unbounded queues answer nobody in time
# at 100/s (twice the capacity); a backlog of 32 and --limit-concurrency 16
# keep the goodput at capacity.
ov=$work/sweeps/overload/saturation.json
[ -f "$ov" ] || fail "no $ov"
highest() { grep "\"group\": \"$1\"" "$ov" | sed 's/.*"at_highest_load": \([^,]*\),.*/\1/'; }
for v in sync_unbounded async_unlimited; do
  awk -v g="$(highest $v)" 'BEGIN { exit !(g < 5) }' || fail "$v goodput '$(highest $v)' at 100/s, wanted < 5"
done
for v in sync_backlog_32 async_limit_16; do
  awk -v g="$(highest $v)" 'BEGIN { exit !(g > 45) }' || fail "$v goodput '$(highest $v)' at 100/s, wanted > 45"
done
grep -q 'gilsim saturation --goodput' "$page" || fail "no saturation points under the goodput plot"
echo "ok: 5 plots, 12 claims hold, sigma gil $(sigma threads_gil), processes $(sigma processes)," \
  "saturation inline $(at async_inline)/s, hybrid $(at async_celery)/s"
