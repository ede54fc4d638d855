#!/bin/sh
# Issue 10's first "must show", without running Python, on each recording of
# this project's 2-vCPU VMs (AMD EPYC, Intel Xeon): the profile that `gilsim calibrate` fits
# to the recorded measurements (analysis/calibration/calibrate-SET.jsonl) is
# the one shipped (profiles/SET.yaml), and `gilsim validate` with it, on the
# recorded real programs (validate-SET.jsonl), has the count-down ratios
# within 25 %, the hand-offs/s within 2x and the convoy's throughput ratios
# within 3x, except the rows listed below as known misses (docs/validation.md
# says why), which must still miss: a model that gets them right must take
# them off the list.
#   tests/fidelity_test.sh GILSIM SOURCE_DIR WORK_DIR [fit|skip-fit] [SET]
# skip-fit (the sanitizer build): validate's rows only, not calibrate's fit.
# SET: amd-epyc-2vcpu (default; the first recording, stitched from several
# sittings), amd-epyc-2vcpu-slow-wakeups (calibrate then validate in one
# quiet sitting, at an hour when the VM's wake-ups took ~40 us), or
# intel-xeon-2vcpu (an Intel Xeon VM of the same kind, one sitting).
set -u
gilsim=$1 src=$2 work=$3 mode=${4:-fit} set=${5:-amd-epyc-2vcpu}
rm -rf "$work" && mkdir -p "$work"
fail() { echo "fidelity_test ($set): $*" >&2; exit 1; }
cal=$src/analysis/calibration/calibrate-$set.jsonl
rec=$src/analysis/calibration/validate-$set.jsonl
shipped=$src/profiles/$set.yaml
[ -f "$cal" ] && [ -f "$rec" ] && [ -f "$shipped" ] || fail "no recording or profile named '$set'"

# (a key of a map in a section, such as runtime.process_startup's fork, one
# level deeper)
values() { grep -E '^(machine:|runtime:|  [a-z_]+:( |$)|    [a-z_]+: )' "$1"; }

# The fit on the recorded measurements gives the shipped profile's values.
if [ "$mode" = fit ]; then
# (In amd-epyc-2vcpu's recording the 2.7 count-down line is validate's own
# count-down runs, as docs/validation.md says: 2.7's rows of 2 threads, all
# CPUs and pinned, and 4 threads on all CPUs agree partly by construction.
# amd-epyc-2vcpu-slow-wakeups' calibrate ran its own count-down runs.)
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
# Known misses: KNOWN lists CASE/PYTHON/FIGURE, FIGURE "ratio" (threads / one,
# threads / sequential), "handoffs", or a process row's "startjoin" or "parent".
KNOWN=""
verdict() { case " $KNOWN " in *" $1/$2/$3 "*) echo MISS ;; *) echo within ;; esac; }
countdown_and_handoffs() {  # the must-show's count-down and hand-off rows of PYTHON...
  for py in "$@"; do
    for c in countdown-2-all countdown-2-pinned countdown-4-all countdown-4-pinned; do
      check $c $py "threads / sequential" "$(verdict $c $py ratio)"
    done
    check handoffs $py "GIL hand-offs/s" "$(verdict handoffs $py handoffs)"
  done
}
convoy() {  # the echo server's throughput beside 1 and 2 CPU threads, PYTHON...
  for py in "$@"; do
    for c in echo-1cpu-0.5ms echo-2cpu-0.5ms echo-1cpu-5ms echo-2cpu-5ms echo-1cpu-50ms echo-2cpu-50ms; do
      check $c $py "throughput beside / alone" within
    done
  done
}
short_intervals() {  # the smallint rows of 3.9 and 3.12
  for py in 3.9 3.12; do
    for c in smallint-2-1us-noslack smallint-8-1us-noslack smallint-2-10us-noslack smallint-8-10us-noslack \
             smallint-2-1us smallint-8-1us smallint-2-10us smallint-8-10us; do
      check $c $py "threads / one" "$(verdict $c $py ratio)"
      check $c $py "GIL hand-offs/s" "$(verdict $c $py handoffs)"
    done
  done
}
processes() {  # process start-up and Pool rows, PYTHON...
  for py in "$@"; do
    for c in process-fork process-spawn; do
      check $c $py "the parent's start(), CPU ms" "$(verdict $c $py parent)"
      check $c $py "start + join: ms" "$(verdict $c $py startjoin)"
    done
    for c in pool-fork-4 pool-spawn-4; do check $c $py "workers ready: ms" within; done
  done
}
natives() {  # pool-fork-1/2 and the C-call rows, PYTHON...
  for py in "$@"; do
    for c in pool-fork-1 pool-fork-2; do check $c $py "workers ready: ms" within; done
    for c in native-sha256 native-zlib; do check $c $py "speed-up" within; done
  done
}
only_known_miss() {  # nothing but the known misses misses
  known=$(echo $KNOWN | wc -w)
  [ "$(grep -c '"within": false' "$rows")" -eq "$known" ] \
    || fail "rows other than the $known known ones miss: $(grep '"within": false' "$rows")"
}

case "$set" in
amd-epyc-2vcpu)
  # (docs/validation.md, "Fidelity on this project's VM", says why): 2.7's
  # hand-offs/s between 2 CPU threads, 88,500 predicted against 178,000
  # (44,000-311,000) measured, just outside 2x; calibrate's own hand-off runs
  # measured 74,800, which the battle's fit matches.
  KNOWN="handoffs/2.7/handoffs"
  countdown_and_handoffs 2.7 3.12
  convoy 3.12
  # Short switch intervals (issue 10's second "must show", on this VM), each
  # twin's median over 5 seeds: with the timer slack at 1 ns (prctl) 8 threads
  # collapse, as the real ones do (3.12 at 1 us: 9.4x predicted, 9.4x real),
  # from the mechanism the real runs show: waiters spinning through expired
  # timed waits (machine.timed_wait_cpu) hold the CPUs, and EEVDF brings the
  # GIL's holder back at a tick. Every row is within but 3.12's 8 threads at
  # 10 us, 8.1x against 3.9x (docs/validation.md, "Known gaps").
  KNOWN="$KNOWN smallint-8-10us-noslack/3.12/ratio"
  short_intervals
  # Process start-up (issue 10 (e)), with the start-up and the parent's share
  # by start method that calibrate fits (runtime.process_startup,
  # process_start_interval, resource_tracker_start; its processes section and
  # validate's process and Pool rows re-recorded quiet at 10:10-10:11 UTC):
  # every row is within. Spawn's parent share (a fresh interpreter's first
  # start) missed until the first spawn start also started the resource
  # tracker and 3.9's fork_exec forked (1.16 and 3.5 ms real against 0.42 ms).
  processes 3.9 3.12
  # C calls in 2 threads: 2.7's built-in sha256 holds the GIL (a 2.7 twin
  # running it as bytecode predicted 0.39, the old GIL's battle), the others
  # release it (quiet re-recording at 09:52 UTC, calls of ~40 ms or more).
  natives 2.7 3.12
  ;;
amd-epyc-2vcpu-slow-wakeups)
  # One quiet sitting, 2026-12-07 15:12-15:15 UTC: calibrate with 2.7, 3.9 and
  # 3.12, then validate with the profile it wrote. The VM's 2.7 battle was
  # mild then (2 threads 1.66x, 13,000 hand-offs/s; the first recording's
  # 2.4x and 178,000/s), and its wake-ups slow (median 42 us against 8.7 us).
  # Every count-down, hand-off and convoy row of the three interpreters is
  # within, and every row but the 1 ns timer-slack ones: there, 8 threads'
  # twins collapse 4-17x further than the real ones (3.12 at 1 us 40.7x
  # against 9.6x) and 2 threads' twins hand the GIL over 3-4x less often (a
  # waiter's wake-up costs its 42 us; docs/validation.md, "Known gaps").
  for py in 3.9 3.12; do
    KNOWN="$KNOWN smallint-2-1us-noslack/$py/handoffs smallint-2-10us-noslack/$py/handoffs"
    for c in smallint-8-1us-noslack smallint-8-10us-noslack; do
      KNOWN="$KNOWN $c/$py/ratio $c/$py/handoffs"
    done
  done
  countdown_and_handoffs 2.7 3.9 3.12
  convoy 3.9 3.12
  short_intervals
  processes 3.9 3.12
  natives 2.7 3.12
  ;;
intel-xeon-2vcpu)
  # An Intel Xeon VM of the same 2-vCPU kind, 2026-12-07: calibrate at
  # 18:08 UTC, validate at once with the profile it wrote (the split of a
  # timed wait's CPU from a second calibrate at 18:21, docs/validation.md).
  # 2.7's battle is the Intel kind (2 threads 1.33x, 4 threads 1.60x), and
  # every count-down and convoy row is within. The misses:
  # - 2.7's hand-offs/s, 8,400 predicted against 17,000 measured (2.03x):
  #   calibrate's battle fit gets no closer to its own 19,900 while it keeps
  #   the count-down rows;
  # - 3.9's spawn start + join, 48 ms against the profile's 76 ms: the
  #   profile holds the newest Python's start-up (3.12: 74 ms);
  # - 8 threads at 1 us with 1 ns of slack, 60-80x predicted against 15x
  #   (the twins' seeds range over 16-95x): every waiter spins, as the real
  #   ones do, but the model's holder waits longer for a core.
  KNOWN="handoffs/2.7/handoffs process-spawn/3.9/startjoin"
  KNOWN="$KNOWN smallint-8-1us-noslack/3.9/ratio smallint-8-1us-noslack/3.12/ratio"
  countdown_and_handoffs 2.7 3.9 3.12
  convoy 3.9 3.12
  # The 10 us rows with 1 ns of slack are within since the timed wait's CPU
  # is split at its sleep (timed_wait_cpu 8.5 us, timed_wait_return_cpu
  # 10.6 us): with all 19.1 us before the sleep they came out 32-34x
  # against 1.7-2.0x real.
  short_intervals
  processes 3.9 3.12
  natives 2.7 3.12
  if [ "$mode" = fit ]; then
    grep -q '^  timed_wait_return_cpu: ' "$work/fitted.values" || fail "calibrate did not split the timed wait's CPU"
  fi
  ;;
*) fail "no known rows for '$set'" ;;
esac
only_known_miss
echo "fidelity_test ($set): ok"
