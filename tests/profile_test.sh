#!/bin/sh
# --profile on the command line:
#   tests/profile_test.sh GILSIM SOURCE_DIR WORK_DIR
# - profiles/reference.yaml is the built-in costs written out: the claims
#   suite and the tutorial give the same JSON with it as without it (but for
#   the "profile" member that names it);
# - a profile's costs reach the run (another wake-up latency, other results);
# - errors: a missing or bad profile, --profile with merge: exit 2.
set -u
gilsim=$1 src=$2 work=$3
rm -rf "$work" && mkdir -p "$work"
fail() { echo "profile_test: $*" >&2; exit 1; }

"$gilsim" claims --json "$work/plain.json" >/dev/null || fail "claims failed"
"$gilsim" claims --profile "$src/profiles/reference.yaml" --json "$work/ref.json" >/dev/null \
  || fail "claims with the reference profile failed"
grep -q '"profile": "reference"' "$work/ref.json" || fail "the JSON does not name the profile"
grep -v '"profile": "reference"' "$work/ref.json" | cmp -s - "$work/plain.json" \
  || fail "the reference profile changes the claims suite's results"
# Under a measured profile some claims' expect lines state what the reference
# machine's costs give (docs/profiles.md): with the AMD profile's polled
# wake-ups and timed waits' CPU, C2 and C11: exit 1, with a note that
# says so; none with the reference
# profile (above) or without one.
"$gilsim" claims --profile "$src/profiles/amd-epyc-2vcpu.yaml" >/dev/null 2>"$work/amd.err"
[ $? -eq 1 ] || fail "claims with the AMD profile: not exit 1"
grep -q "note: under --profile (amd-epyc-2vcpu) some of the claims' expect lines" "$work/amd.err" \
  || fail "no note on the reference machine's costs: $(cat "$work/amd.err")"
"$gilsim" claims --profile "$src/profiles/reference.yaml" 2>&1 >/dev/null | grep -q "note:" \
  && fail "a note although every claim holds"
# On the AMD VM of the 4.4x battle every claim holds: their thresholds are
# in the run's own costs (before, C11 failed there on a runnable time that
# left out the woken core's wakeup_cpu, and C8 on a bound that left out the
# jobs begun in the warm-up).
"$gilsim" claims --profile "$src/profiles/amd-epyc-2vcpu-battle.yaml" >"$work/battle.out" 2>&1 \
  || fail "a claim does not hold under the battle profile: $(grep FAIL "$work/battle.out")"
"$gilsim" run "$src/scenarios/tutorial/first.yaml" --json "$work/t0.json" >/dev/null || fail "tutorial"
"$gilsim" run "$src/scenarios/tutorial/first.yaml" --profile "$src/profiles/reference.yaml" \
  --json "$work/t1.json" >/dev/null || fail "tutorial with the reference profile"
grep -v '"profile": "reference"' "$work/t1.json" | cmp -s - "$work/t0.json" \
  || fail "the reference profile changes the tutorial's results"

printf 'profile: slow-wake\nmachine: {wakeup_latency: 200us}\n' >"$work/slow.yaml"
"$gilsim" run "$src/scenarios/c4_convoy_effect.yaml" --profile "$work/slow.yaml" \
  --json "$work/slow.json" >/dev/null
grep -v '"profile": "slow-wake"' "$work/slow.json" >"$work/slow-stripped.json"
"$gilsim" run "$src/scenarios/c4_convoy_effect.yaml" --json "$work/c4.json" >/dev/null
cmp -s "$work/slow-stripped.json" "$work/c4.json" && fail "a profile's wake-up latency changed nothing"
# expect reads the costs the run used: the profile's, under a variant's own.
cat >"$work/reads.yaml" <<EOF
name: reads-costs
threads: [{name: w, run: [cpu: 1ms]}]
variants:
  profiled: {}
  own: {machine: {wakeup_latency: 30us}}
expect:
  - profiled.machine.wakeup_latency == 200us
  - own.machine.wakeup_latency == 30us
EOF
"$gilsim" run "$work/reads.yaml" --profile "$work/slow.yaml" >"$work/reads.out" \
  || fail "expect does not read the profile's wake-up latency: $(cat "$work/reads.out")"
"$gilsim" run "$work/reads.yaml" >"$work/reads.out"
[ $? -eq 1 ] || fail "without the profile, the wake-up latency read is not the built-in 10 us"
grep -q 'FAIL profiled.machine.wakeup_latency == 200us  (profiled.machine.wakeup_latency = 1e-05)' "$work/reads.out" \
  || fail "a failed expectation does not show the setting's value: $(cat "$work/reads.out")"

# sweep: the profile reaches every point, and a sweep's folder made under one
# profile is not resumed under another.
"$gilsim" sweep "$src/scenarios/c4_convoy_effect.yaml" --variant beside_cpu --replications 2 \
  --out "$work/sw-plain" --quiet || fail "sweep"
"$gilsim" sweep "$src/scenarios/c4_convoy_effect.yaml" --variant beside_cpu --replications 2 \
  --out "$work/sw-slow" --profile "$work/slow.yaml" --quiet || fail "sweep with a profile"
cmp -s "$work/sw-plain/results.csv" "$work/sw-slow/results.csv" && fail "the profile did not reach the sweep's points"
"$gilsim" sweep "$src/scenarios/c4_convoy_effect.yaml" --variant beside_cpu --replications 2 \
  --out "$work/sw-slow" --quiet >/dev/null 2>"$work/err" && fail "a sweep resumed under another profile"

expect_2() {  # WHAT TEXT COMMAND...
  what=$1 text=$2
  shift 2
  "$@" >"$work/out" 2>"$work/err"
  code=$?
  [ $code -eq 2 ] || fail "$what: exit $code, expected 2"
  grep -qF -- "$text" "$work/err" || { cat "$work/err" >&2; fail "$what: no '$text' in the message"; }
}
expect_2 "missing profile" "cannot read profile $work/none.yaml" \
  "$gilsim" run "$src/scenarios/tutorial/first.yaml" --profile "$work/none.yaml"
printf 'profile: bad\nruntime:\n  switch_interval: 1ms\n' >"$work/bad.yaml"
expect_2 "program key" "$work/bad.yaml:3:3" "$gilsim" check "$src/scenarios/tutorial/first.yaml" --profile "$work/bad.yaml"
expect_2 "merge" "--profile applies to" "$gilsim" merge "$work" --csv - --profile "$work/slow.yaml"
echo "profile_test: ok"
