#!/bin/sh
# gilsim validate and gilsim calibrate without running Python: the recorded
# measurements of tests/validation/ replayed, and every usage and input error
# (exit 2).
#   tests/validation_test.sh GILSIM SOURCE_DIR WORK_DIR
set -u
gilsim=$1 src=$2 work=$3
rm -rf "$work" && mkdir -p "$work"
fail() { echo "validation_test: $*" >&2; exit 1; }
ref=$src/profiles/reference.yaml
rec=$src/tests/validation/validate_recorded.jsonl
cal=$src/tests/validation/calibrate_recorded.jsonl

# validate --replay: every recorded case and Python gets its rows; some miss
# (exit 1), none is left without a prediction.
"$gilsim" validate --profile "$ref" --replay "$rec" --json "$work/v.json" >"$work/v.txt" 2>"$work/v.err"
code=$?
[ $code -eq 1 ] || fail "validate --replay: exit $code, not 1 (some rows miss): $(cat "$work/v.err")"
[ "$(grep -c '"case":' "$work/v.json")" -eq 64 ] || fail "validate --replay: not 64 rows in the JSON"
grep -q '"predicted"' "$work/v.json" || fail "no prediction in the JSON"
grep -q 'no data' "$work/v.txt" && fail "a row without a prediction or measurement"
grep -q 'rows within their tolerance' "$work/v.txt" || fail "no count of the rows within"
grep -q 'replayed from' "$work/v.txt" || fail "the table does not say the measurements were replayed"
# The JSON to standard output, the table to standard error.
"$gilsim" validate --profile "$ref" --replay "$rec" --json - 2>/dev/null | grep -q '"rows"' \
  || fail "--json - did not write the JSON to standard output"

# Each twin runs with 5 seeds by default: the predicted column gives the
# median and range over them, and the JSON the range; the numbers do not
# depend on how many run at a time. (The measured profile's wake-ups are
# random, so that its 8 contended threads differ from seed to seed.)
amd=$src/profiles/amd-epyc-2vcpu.yaml
grep -q '"predicted_spread": {"min": [0-9.e+-]*, "max": [0-9.e+-]*, "seeds": 5}' "$work/v.json" \
  || fail "no predicted_spread over 5 seeds in the JSON"
grep -q 'predicted (min..max, seeds)' "$work/v.txt" || fail "the table does not say the prediction is over seeds"
"$gilsim" validate --profile "$amd" --replay "$rec" --case smallint-8-1us-noslack --jobs 1 >"$work/j1.txt" 2>&1
"$gilsim" validate --profile "$amd" --replay "$rec" --case smallint-8-1us-noslack --jobs 3 >"$work/j3.txt" 2>&1
cmp -s "$work/j1.txt" "$work/j3.txt" || fail "--jobs 1 and --jobs 3 give different tables"
# (a row's measured range, then the predicted one)
grep -q '[0-9]\.\.[0-9].*[0-9]\.\.[0-9].*, 5) ' "$work/j1.txt" || fail "no prediction over 5 seeds in the table"
grep -q '(\([0-9.]*\)\.\.\1, 5)' "$work/j1.txt" && fail "a contended twin gave one figure for 5 seeds"
"$gilsim" validate --profile "$amd" --replay "$rec" --case smallint-8-1us-noslack --twin-seeds 1 >"$work/s1.txt" 2>&1
grep -q '[0-9]\.\.[0-9].*[0-9]\.\.[0-9]' "$work/s1.txt" && fail "--twin-seeds 1 prints a range over one seed"

expect2() {  # expect2 WHAT PATTERN COMMAND...: exit 2 with PATTERN on standard error
  what=$1 pattern=$2
  shift 2
  "$@" >"$work/out" 2>"$work/err"
  code=$?
  [ $code -eq 2 ] || fail "$what: exit $code, not 2"
  grep -q -- "$pattern" "$work/err" || fail "$what: no '$pattern' in: $(cat "$work/err")"
}
expect2 "no --profile" "needs --profile" "$gilsim" validate --replay "$rec"
expect2 "a missing profile" "nowhere.yaml" "$gilsim" validate --profile "$work/nowhere.yaml" --replay "$rec"
expect2 "--repeat 0" "--repeat wants" "$gilsim" validate --profile "$ref" --repeat 0
expect2 "--twin-seeds 0" "--twin-seeds wants" "$gilsim" validate --profile "$ref" --replay "$rec" --twin-seeds 0
expect2 "--jobs 0" "--jobs wants" "$gilsim" validate --profile "$ref" --replay "$rec" --jobs 0
expect2 "calibrate: --twin-seeds 0" "--twin-seeds wants" "$gilsim" calibrate --replay "$cal" --twin-seeds 0
expect2 "a missing replay file" "cannot read" "$gilsim" validate --profile "$ref" --replay "$work/none.jsonl"
expect2 "--case that starts no case" "did you mean 'smallint'" "$gilsim" validate --profile "$ref" --case smallnt \
  --replay "$rec"
grep '"case": "handoffs"' "$rec" | head -n 1 >"$work/handoffs-only.jsonl"
expect2 "--case that selects no replayed line" "no measurement of the cases --case selects" \
  "$gilsim" validate --profile "$ref" --replay "$work/handoffs-only.jsonl" --case countdown
: >"$work/nothing.jsonl"
expect2 "an empty replay file" "nothing.jsonl: no measurement$" "$gilsim" validate --profile "$ref" --replay "$work/nothing.jsonl"
# --case keeps only the cases whose id starts with one of its prefixes.
"$gilsim" validate --profile "$ref" --replay "$rec" --case countdown-2 --case handoffs --json "$work/c.json" \
  >/dev/null 2>&1
[ $? -le 1 ] || fail "validate --case: exit not 0 or 1"
grep -o '"case": "[a-z0-9-]*"' "$work/c.json" | sort -u | tr '\n' ' ' >"$work/c.cases"
[ "$(cat "$work/c.cases")" = '"case": "countdown-2-all" "case": "countdown-2-pinned" "case": "handoffs" ' ] \
  || fail "validate --case countdown-2 --case handoffs ran: $(cat "$work/c.cases")"
printf '{"case": "no-such-case", "python": "3.12"}\n' >"$work/unknown.jsonl"
expect2 "an unknown case" "no case 'no-such-case'" "$gilsim" validate --profile "$ref" --replay "$work/unknown.jsonl"
printf '{"python": "3.12"}\n' >"$work/nocase.jsonl"
expect2 "a line without its case" 'without "case"' "$gilsim" validate --profile "$ref" --replay "$work/nocase.jsonl"
printf '{"case": "handoffs", "handoffs_per_s": 5}\n' >"$work/nopython.jsonl"
expect2 "a line without python" 'no "python"' "$gilsim" validate --profile "$ref" --replay "$work/nopython.jsonl"
expect2 "--replay with --python" "takes no --python" "$gilsim" validate --profile "$ref" --replay "$rec" --python python3
expect2 "a missing interpreter" "not an executable" "$gilsim" validate --profile "$ref" --python "$work/no-python"
expect2 "an interpreter not on PATH" "not found on PATH" "$gilsim" validate --profile "$ref" --python no-such-python-xyz
expect2 "--json with another extension" "json" "$gilsim" validate --profile "$ref" --replay "$rec" --json "$work/v.txt"
expect2 "an unknown option" "did you mean '--repeat'" "$gilsim" validate --profile "$ref" --repaet 2
expect2 "calibrate: an unknown option" "did you mean '--rounds'" "$gilsim" calibrate --round 2

# calibrate --replay: the hand-computed fit, a profile that run and check load.
"$gilsim" calibrate --replay "$cal" --name fixture --out "$work/p.yaml" 2>"$work/c.err" \
  || fail "calibrate --replay: $(cat "$work/c.err")"
grep -q '^  wakeup_latency: 16us$' "$work/p.yaml" || fail "calibrate: wakeup_latency is not 16us"
grep -q '^  pickle_per_byte: 0.5ns$' "$work/p.yaml" || fail "calibrate: pickle_per_byte is not 0.5ns"
grep -q '^profile: "fixture"$' "$work/p.yaml" || fail "calibrate: --name not used"
"$gilsim" run "$src/scenarios/c4_convoy_effect.yaml" --profile "$work/p.yaml" --quiet \
  || fail "the calibrated profile does not run the convoy scenario"
"$gilsim" calibrate --replay "$cal" 2>/dev/null | grep -q '^  tick: 10ns$' || fail "calibrate to standard output"
expect2 "calibrate: a missing replay file" "cannot read" "$gilsim" calibrate --replay "$work/none.jsonl"
printf 'garbage\n' >"$work/bad.jsonl"
expect2 "calibrate: a bad line" "not a JSON object" "$gilsim" calibrate --replay "$work/bad.jsonl"
printf '{"python": "3.12", "cpus": 2, "measurements": []}\n' >"$work/empty.jsonl"
expect2 "calibrate: nothing measured" "no measurement" "$gilsim" calibrate --replay "$work/empty.jsonl"
expect2 "calibrate: --out with another extension" "yaml" "$gilsim" calibrate --replay "$cal" --out "$work/p.txt"
expect2 "calibrate: --rounds 0" "--rounds wants" "$gilsim" calibrate --rounds 0
expect2 "calibrate: --replay with --python" "takes no --python" "$gilsim" calibrate --replay "$cal" --python python3

# A live run with interpreters that are not Python: one that fails, one that
# prints what is not a measurement. Each program is a warning, and with no
# measurement at all, exit 2.
printf '#!/bin/sh\ncase "$1" in -c) echo 3.12 ;; *) echo boom >&2; exit 1 ;; esac\n' >"$work/failing-python"
printf '#!/bin/sh\ncase "$1" in -c) echo 2.7 ;; *) echo Traceback ;; esac\n' >"$work/garbage-python"
chmod +x "$work/failing-python" "$work/garbage-python"
expect2 "failing programs" "no program gave a measurement" \
  "$gilsim" validate --profile "$ref" --repeat 1 --python "$work/failing-python" --python "$work/garbage-python"
grep -q "countdown.py (count-down, 2 threads, all CPUs) with $work/failing-python failed: boom" "$work/err" \
  || fail "no warning for a failing program"
grep -q "with $work/garbage-python printed not a JSON object" "$work/err" || fail "no warning for a bad output"
grep -q "echo.py.*garbage-python" "$work/err" && fail "a 3.x case ran with 2.7"
expect2 "calibrate with failing programs" "no measurement to fit" \
  "$gilsim" calibrate --python "$work/failing-python" --python "$work/garbage-python"
grep -q "calibrate.py pingpong with $work/garbage-python: calibrate: not a JSON object" "$work/err" \
  || fail "calibrate: no warning for a bad output"

# A live run whose stand-in interpreter prints a count-down measurement:
# --record keeps one line per run, tagged with its case, and --replay of that
# file gives the same table; a --record that cannot be written is exit 2.
cat >"$work/measuring-python" <<'EOF'
#!/bin/sh
case "$1" in
  -c) echo 3.12 ;;
  *) echo '{"cpu_wall": 1.0, "cpus": 2, "pinned": 0, "python": "3.12", "ratio": 1.02, "seq_ns": 130000000, "threads": 2, "threads_ns": 132600000}' ;;
esac
EOF
chmod +x "$work/measuring-python"
"$gilsim" validate --profile "$ref" --python "$work/measuring-python" --case countdown-2-all --repeat 2 \
  --record "$work/live.jsonl" >"$work/live.out" 2>&1 || fail "live run with a stand-in: $(cat "$work/live.out")"
# (each line with the UTC time it was recorded)
[ "$(grep -cE '^\{"recorded_utc": "20[0-9]{2}-[01][0-9]-[0-3][0-9]T[0-2][0-9]:[0-5][0-9]:[0-6][0-9]Z", "case": "countdown-2-all", "cpu_wall": 1.0, ' "$work/live.jsonl")" -eq 2 ] \
  || fail "--record did not keep the 2 runs, tagged and stamped: $(cat "$work/live.jsonl")"
grep -q 'threads / sequential  1.020 (1.020..1.020, 2)' "$work/live.out" || fail "live table: $(cat "$work/live.out")"
"$gilsim" validate --profile "$ref" --replay "$work/live.jsonl" >"$work/relive.out" 2>&1 || fail "replay of the live run"
grep -E 'within|MISS' "$work/live.out" >"$work/live.rows"
grep -E 'within|MISS' "$work/relive.out" >"$work/relive.rows"
[ -s "$work/live.rows" ] && cmp -s "$work/live.rows" "$work/relive.rows" \
  || fail "the replay of a recording gives another table"
# calibrate, live with a stand-in that prints one recorded section's line for
# every section: each line recorded and stamped, and its replay fits the same
# profile as the live run.
head -1 "$cal" >"$work/cal.line"
printf '#!/bin/sh\ncase "$1" in -c) echo 2.7 ;; *) cat "%s/cal.line" ;; esac\n' "$work" >"$work/calibrating-python"
chmod +x "$work/calibrating-python"
"$gilsim" calibrate --python "$work/calibrating-python" --record "$work/cal-live.jsonl" --out "$work/cal-live.yaml" \
  >"$work/cal-live.out" 2>&1 || fail "calibrate, live with a stand-in: $(cat "$work/cal-live.out")"
[ -s "$work/cal-live.jsonl" ] && ! grep -vqE '^\{"recorded_utc": "[0-9T:-]+Z", "cpus": ' "$work/cal-live.jsonl" \
  || fail "calibrate --record: a line not stamped: $(head -2 "$work/cal-live.jsonl")"
"$gilsim" calibrate --replay "$work/cal-live.jsonl" --out "$work/cal-replayed.yaml" >/dev/null 2>&1 \
  || fail "calibrate --replay of a live recording"
# (the name, the CPU and the description say where the values came from)
grep -vE '^(profile|cpu|description):|^ *#' "$work/cal-live.yaml" >"$work/cal-live.values"
grep -vE '^(profile|cpu|description):|^ *#' "$work/cal-replayed.yaml" >"$work/cal-replayed.values"
grep -q '^machine:' "$work/cal-live.values" && cmp -s "$work/cal-live.values" "$work/cal-replayed.values" \
  || fail "calibrate: the replay of a live recording fits another profile"
expect2 "--record into a missing folder" "cannot write it" \
  "$gilsim" validate --profile "$ref" --python "$work/measuring-python" --case countdown-2-all --repeat 1 \
  --record "$work/no/such/dir/live.jsonl"

# Ctrl-C while a program runs: exit 130, and the program's process group is
# killed (a stand-in interpreter that writes its pid, then sleeps).
printf '#!/bin/sh\ncase "$1" in -c) echo 3.12 ;; *) echo $$ >"%s/sleeper.pid"; exec sleep 60 ;; esac\n' "$work" \
  >"$work/sleeping-python"
chmod +x "$work/sleeping-python"
"$gilsim" validate --profile "$ref" --repeat 1 --python "$work/sleeping-python" >"$work/int.out" 2>&1 &
pid=$!
i=0
while [ ! -s "$work/sleeper.pid" ] && [ $i -lt 300 ]; do sleep 0.1; i=$((i + 1)); done
[ -s "$work/sleeper.pid" ] || fail "the stand-in program never started"
kill -INT $pid
wait $pid
code=$?
[ $code -eq 130 ] || fail "validate after Ctrl-C: exit $code, not 130"
grep -q "stopped by SIGINT" "$work/int.out" || fail "validate after Ctrl-C: $(cat "$work/int.out")"
kill -0 "$(cat "$work/sleeper.pid")" 2>/dev/null && fail "the program outlived validate's Ctrl-C"

"$gilsim" validate --help | grep -q -- '--profile' || fail "validate --help"
"$gilsim" calibrate --help | grep -q -- '--rounds' || fail "calibrate --help"
echo "validation_test: ok"
