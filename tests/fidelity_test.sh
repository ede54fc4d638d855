#!/bin/sh
# Issue 10's first "must show", without running Python: the profile that
# `gilsim calibrate` fits to this project's recorded measurements of its
# 2-vCPU AMD EPYC VM (analysis/calibration/calibrate-amd-epyc-2vcpu.jsonl) is
# the one shipped (profiles/amd-epyc-2vcpu.yaml), and `gilsim validate` with
# it, on the recorded real programs (validate-amd-epyc-2vcpu.jsonl), has the
# count-down ratios within 25 %, the hand-offs/s within 2x and the convoy's
# throughput ratios within 3x, except the rows listed below as known misses
# (docs/validation.md says why), which must still miss: a model that gets
# them right must take them off the list.
#   tests/fidelity_test.sh GILSIM SOURCE_DIR WORK_DIR [fit|skip-fit]
# skip-fit (the sanitizer build): validate's rows only, not calibrate's fit.
set -u
gilsim=$1 src=$2 work=$3 mode=${4:-fit}
rm -rf "$work" && mkdir -p "$work"
fail() { echo "fidelity_test: $*" >&2; exit 1; }
cal=$src/analysis/calibration/calibrate-amd-epyc-2vcpu.jsonl
rec=$src/analysis/calibration/validate-amd-epyc-2vcpu.jsonl
shipped=$src/profiles/amd-epyc-2vcpu.yaml

# (a key of a map in a section, such as runtime.process_startup's fork, one
# level deeper)
values() { grep -E '^(machine:|runtime:|  [a-z_]+:( |$)|    [a-z_]+: )' "$1"; }

# The fit on the recorded measurements gives the shipped profile's values.
if [ "$mode" = fit ]; then
# (The recording's 2.7 count-down line is validate's own count-down runs, as
# docs/validation.md says: 2.7's rows of 2 threads, all CPUs and pinned, and 4
# threads on all CPUs agree partly by construction; the others do not.)
"$gilsim" calibrate --replay "$cal" --out "$work/fitted.yaml" 2>"$work/c.err" || fail "calibrate: $(cat "$work/c.err")"
values "$work/fitted.yaml" >"$work/fitted.values"
values "$shipped" >"$work/shipped.values"
diff "$work/shipped.values" "$work/fitted.values" >"$work/diff" \
  || fail "calibrate --replay does not give $shipped's values: $(cat "$work/diff")"
# The values that act through the mechanism are there, each fitted.
for key in wakeup_latency timer_slack wakeup_cpu cache_refill futex_wake futex_wake_nobody tick timed_wait_cpu; do
  grep -q "^  $key: " "$work/fitted.values" || fail "calibrate wrote no $key"
done
# The recording's newest lines name the kernel (Linux 6.18): EEVDF, which has
# no wake-up granularity for the battle's fit to set.
grep -q '^  scheduler: eevdf$' "$work/fitted.values" || fail "calibrate did not take EEVDF from Linux 6.18"
grep -q '^  wakeup_granularity: ' "$work/fitted.values" && fail "calibrate fitted CFS's wakeup_granularity under EEVDF"
# The process start-up by start method, each fitted (processes section).
for key in process_startup process_start_interval; do
  grep -q "^  $key:\$" "$work/fitted.values" || fail "calibrate wrote no $key"
done
[ "$(grep -cE '^    (fork|forkserver|spawn): ' "$work/fitted.values")" -eq 6 ] \
  || fail "calibrate did not fit the start-up of every start method"
grep -q '^  wakeup_latency: {lognormal: ' "$work/fitted.values" || fail "the wake-up latency is not a distribution"
elif [ "$mode" != skip-fit ]; then
  fail "the fourth argument is fit or skip-fit, not '$mode'"
fi

# validate with it on the recorded programs.
"$gilsim" validate --profile "$shipped" --replay "$rec" --json "$work/rows.json" >"$work/table.txt" 2>&1
# row CASE PYTHON WHAT: the row's JSON line
rows=$work/rows.json
row() { grep "\"case\": \"$1\", \"what\": \"[^\"]*$3\", \"python\": \"$2\"" "$rows"; }
check() {  # check CASE PYTHON WHAT within|MISS
  line=$(row "$1" "$2" "$3")
  [ -n "$line" ] || fail "no row $1 $2 '$3'"
  case "$4" in
    within) echo "$line" | grep -q '"within": true' || fail "$2 $1 '$3' misses: $line" ;;
    MISS) echo "$line" | grep -q '"within": false' \
      || fail "$2 $1 '$3' is within now: take it off the known misses (and update docs/validation.md)" ;;
  esac
}
# Known misses, as CASE/PYTHON (docs/validation.md, "Fidelity on this project's
# VM", says why): 2.7's hand-offs/s between 2 CPU threads, 88,500 predicted
# against 178,000 (44,000-311,000) measured, just outside 2x; calibrate's own
# hand-off runs measured 74,800, which the battle's fit matches.
KNOWN="handoffs/2.7"
verdict() { case " $KNOWN " in *" $1/$2 "*) echo MISS ;; *) echo within ;; esac; }
for py in 2.7 3.12; do
  for c in countdown-2-all countdown-2-pinned countdown-4-all countdown-4-pinned; do
    check $c $py "threads / sequential" "$(verdict $c $py)"
  done
  check handoffs $py "GIL hand-offs/s" "$(verdict handoffs $py)"
done
for c in echo-1cpu-0.5ms echo-2cpu-0.5ms echo-1cpu-5ms echo-2cpu-5ms echo-1cpu-50ms echo-2cpu-50ms; do
  check $c 3.12 "throughput beside / alone" "$(verdict $c 3.12)"
done
# Short switch intervals (issue 10's second "must show", on this VM), each
# twin's median over 5 seeds: with the timer slack at 1 ns (prctl) 8 threads
# collapse, as the real ones do (3.12 at 1 us: 9.4x predicted, 9.4x real),
# from the mechanism the real runs show: waiters spinning through expired
# timed waits (machine.timed_wait_cpu) hold the CPUs, and EEVDF brings the
# GIL's holder back at a tick. Every row is within but 3.12's 8 threads at
# 10 us, 8.1x against 3.9x (docs/validation.md, "Known gaps").
KNOWN="smallint-8-10us-noslack/3.12"
for py in 3.9 3.12; do
  for c in smallint-2-1us-noslack smallint-8-1us-noslack smallint-2-10us-noslack smallint-8-10us-noslack \
           smallint-2-1us smallint-8-1us smallint-2-10us smallint-8-10us; do
    check $c $py "threads / one" "$(verdict $c $py)"
    check $c $py "GIL hand-offs/s" within
  done
done
# Process start-up (issue 10 (e)), with the start-up and the parent's share
# by start method that calibrate fits (runtime.process_startup,
# process_start_interval, resource_tracker_start; its processes section and
# validate's process and Pool rows re-recorded quiet at 10:10-10:11 UTC):
# every row is within. Spawn's parent share (a fresh interpreter's first
# start) missed until the first spawn start also started the resource
# tracker and 3.9's fork_exec forked (1.16 and 3.5 ms real against 0.42 ms).
for py in 3.9 3.12; do
  for c in process-fork process-spawn; do
    check $c $py "the parent's start(), CPU ms" within
    check $c $py "start + join: ms" within
  done
  for c in pool-fork-4 pool-spawn-4; do check $c $py "workers ready: ms" within; done
done
for py in 2.7 3.12; do
  for c in pool-fork-1 pool-fork-2; do check $c $py "workers ready: ms" within; done
  # C calls in 2 threads: 2.7's built-in sha256 holds the GIL (a 2.7 twin
  # running it as bytecode predicted 0.39, the old GIL's battle), the others
  # release it (quiet re-recording at 09:52 UTC, calls of ~40 ms or more).
  for c in native-sha256 native-zlib; do check $c $py "speed-up" within; done
done

# Nothing else misses.
[ "$(grep -c '"within": false' "$rows")" -eq 2 ] || fail "rows other than the two known ones miss: $(grep '"within": false' "$rows")"
echo "fidelity_test: ok"
