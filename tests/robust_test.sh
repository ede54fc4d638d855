#!/bin/bash
# The findings of issue 12 (a fuzzing and abuse campaign), each a case:
#   tests/robust_test.sh GILSIM WORKDIR CASE
# CASE: names, expressions, aliases, operations, outputs, io_errors, signals,
# progress, sweeps. Each exits 0 when gilsim behaves, else 1 with the reason.
set -u
gilsim=$1
work=$2
case_name=$3
tests=$(cd "$(dirname "$0")" && pwd)
rm -rf "$work" && mkdir -p "$work" && cd "$work" || exit 1

fail() { echo "FAIL: $*" >&2; exit 1; }
# expect_exit CODE COMMAND...: runs it (stdout and stderr to out.txt and err.txt).
expect_exit() {
  local want=$1
  shift
  "$@" > out.txt 2> err.txt
  local rc=$?
  [ "$rc" -eq "$want" ] || fail "'$*' exited $rc, wanted $want; stderr: $(head -c 600 err.txt)"
}
err_has() { grep -qF -- "$1" err.txt || fail "stderr lacks '$1': $(head -c 600 err.txt)"; }
# A string of N copies of TEXT.
repeat_text() { printf "%${2}s" "" | sed "s/ /$1/g"; }

ok_scenario() {
  cat > ok.yaml <<'YAML'
name: ok
threads:
  - name: t
    count: 2
    run: [{cpu: 10ms}, {io: 1ms}]
expect:
  - main.wall > 0
YAML
}

case "$case_name" in
names)
  # std::regex_match overflowed the stack on 20-50k characters (SIGSEGV).
  printf 'name: %s\nthreads: [{name: t, run: [{cpu: 1ms}]}]\n' "$(repeat_text a 50000)X" > long_name.yaml
  expect_exit 2 timeout 20 "$gilsim" check long_name.yaml
  err_has "may use only a-z, 0-9 and '-'"
  printf 'name: ok\nclaim: C%s\nthreads: [{name: t, run: [{cpu: 1ms}]}]\n' "$(repeat_text 7 50000)x" > long_claim.yaml
  expect_exit 2 timeout 20 "$gilsim" check long_claim.yaml
  err_has "must be written like C2"
  # A long valid name is still a name.
  printf 'name: %s\nthreads: [{name: t, run: [{cpu: 1ms}]}]\n' "$(repeat_text a 50000)" > long_ok.yaml
  expect_exit 0 timeout 20 "$gilsim" check long_ok.yaml
  ;;
expressions)
  # 10,000 nested parentheses, 50,000 unary '-' or 'not', a 20,000-term sum:
  # each crashed `check` (stack overflow); now an error at a column.
  for kind in parens minus not sum; do
    case $kind in
      parens) e="$(repeat_text '(' 10000)main.wall$(repeat_text ')' 10000) > 0" ;;
      minus) e="$(repeat_text '-' 50000)main.wall > 0" ;;
      not) e="$(repeat_text 'not ' 50000)main.wall > 0" ;;
      sum) e="main.wall$(repeat_text ' + 1' 20000) > 0" ;;
    esac
    printf 'name: deep\nthreads: [{name: t, run: [{cpu: 1ms}]}]\nexpect:\n  - "%s"\n' "$e" > deep_$kind.yaml
    expect_exit 2 timeout 20 "$gilsim" check deep_$kind.yaml
    err_has "deep_$kind.yaml:4:"
    err_has "nested too deeply: more than 100 levels"
  done
  ;;
aliases)
  # The 770-byte billion laughs: 7.6 s and 2.7 GB before; refused at once now.
  {
    echo 'name: laughs'
    echo 'threads: [{name: t, run: [{cpu: 1ms}]}]'
    echo 'variants:'
    echo '  v:'
    echo '    description: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]'
    prev=a
    for n in b c d e f g h i j; do
      echo "    $n: &$n [*$prev, *$prev, *$prev, *$prev, *$prev, *$prev, *$prev, *$prev, *$prev, *$prev]"
      prev=$n
    done
  } > laughs.yaml
  [ "$(wc -c < laughs.yaml)" -lt 1000 ] || fail "laughs.yaml is not small"
  start=$(date +%s%N)
  expect_exit 2 timeout 20 "$gilsim" check laughs.yaml
  took_ms=$(( ($(date +%s%N) - start) / 1000000 ))
  err_has "more than 1000000 YAML nodes once its aliases (*name) are expanded"
  [ "$took_ms" -lt 3000 ] || fail "refusing the billion laughs took $took_ms ms"
  # An alias inside the collection it names: a tree without end.
  printf 'name: cycle\nthreads: &t [{name: t, run: *t}]\n' > cycle.yaml
  expect_exit 2 timeout 20 "$gilsim" check cycle.yaml
  err_has "names a collection it is inside of"
  ;;
operations)
  # `repeat: 10^12` of 1 ns passed check, then ran silently for hours.
  printf 'name: big\ntime_limit: 1s\nthreads:\n  - name: t\n    run:\n      - repeat: 1000000000000\n        run: [{cpu: 1ns}]\n' > big.yaml
  expect_exit 2 timeout 20 "$gilsim" check big.yaml
  err_has "would run 1000000000000 operations"
  err_has "more than the cap of 1000000000"
  err_has "--max-operations N"
  expect_exit 2 timeout 20 "$gilsim" run big.yaml
  expect_exit 0 timeout 20 "$gilsim" check big.yaml --max-operations 1000000000000
  # Threads, processes and tasks multiply.
  printf 'name: many\nthreads:\n  - name: t\n    count: 1000\n    run:\n      - repeat: 1000\n        run:\n          - repeat: 1001\n            run: [{cpu: 1ns}]\n' > many.yaml
  expect_exit 2 timeout 20 "$gilsim" check many.yaml
  err_has "would run 1001000000 operations"
  expect_exit 2 "$gilsim" check many.yaml --max-operations 0
  err_has "--max-operations wants a whole number"
  # A sweep's points are loaded under the same cap.
  printf 'name: swept\nthreads:\n  - name: t\n    run:\n      - repeat: 2000\n        run: [cpu: 1us]\nsweep:\n  axes:\n    machine.cores: [1, 2]\n' > swept.yaml
  expect_exit 2 timeout 20 "$gilsim" sweep swept.yaml --out swept-dir --max-operations 1000
  err_has "more than the cap of 1000"
  ;;
outputs)
  ok_scenario
  # A character device is written, not replaced by a file.
  expect_exit 0 "$gilsim" run ok.yaml --json /dev/null
  [ -c /dev/null ] || fail "/dev/null is no longer a character device"
  # A FIFO is written in place: its reader gets the CSV.
  mkfifo pipe.csv
  cat pipe.csv > from_pipe.csv &
  reader=$!
  expect_exit 0 timeout 20 "$gilsim" run ok.yaml --csv pipe.csv
  wait $reader
  [ -p pipe.csv ] || fail "the FIFO was replaced"
  grep -q '^ok,main,1,wall,' from_pipe.csv || fail "the FIFO's reader got no CSV"
  # A symlink stays a link; its target gets the results.
  mkdir target && echo old > target/real.json && ln -s target/real.json link.json
  expect_exit 0 "$gilsim" run ok.yaml --json link.json
  [ -L link.json ] || fail "the symlink was replaced"
  grep -q '"scenario": "ok"' target/real.json || fail "the symlink's target was not written"
  ls -a target | grep -q tmp && fail "a temporary is left in target/"
  # A dangling symlink is written through, like a shell's '>'.
  ln -s target/new.csv dangling.csv
  expect_exit 0 "$gilsim" run ok.yaml --csv dangling.csv
  [ -L dangling.csv ] && [ -s target/new.csv ] || fail "the dangling symlink's target was not made"
  # /dev/stdout is this process's standard output, shared with the shell's redirection.
  expect_exit 0 "$gilsim" run ok.yaml --csv /dev/stdout
  [ -f out.txt ] && grep -q '^ok,main,1,wall,' out.txt || fail "--csv /dev/stdout wrote nothing to stdout"
  # A directory, a missing folder, a socket-like non-regular file: refused before the run.
  mkdir adir
  expect_exit 2 "$gilsim" run ok.yaml --trace adir
  err_has "cannot write adir: Is a directory"
  [ ! -s out.txt ] || fail "the run went ahead before refusing --trace adir"
  expect_exit 2 "$gilsim" run ok.yaml --json adir
  err_has "Is a directory"
  expect_exit 2 "$gilsim" run ok.yaml --svg nowhere/x.svg
  err_has "cannot write nowhere/x.svg: No such file or directory"
  expect_exit 2 "$gilsim" run ok.yaml --csv ok.yaml/x.csv
  err_has "Not a directory"
  ;;
io_errors)
  ok_scenario
  # A full disk (/dev/full) exited 3, "internal error"; a full stdout exited 0.
  expect_exit 2 "$gilsim" run ok.yaml --json /dev/full
  err_has "/dev/full: No space left on device"
  expect_exit 2 "$gilsim" run ok.yaml --trace /dev/full
  err_has "/dev/full: No space left on device"
  [ -c /dev/full ] || fail "/dev/full is no longer a character device"
  "$gilsim" run ok.yaml > /dev/full 2> err.txt; rc=$?
  [ $rc -eq 2 ] || fail "run > /dev/full exited $rc"
  err_has "cannot write standard output: No space left on device"
  "$gilsim" run ok.yaml --json - > /dev/full 2> err.txt; rc=$?
  [ $rc -eq 2 ] || fail "run --json - > /dev/full exited $rc"
  err_has "No space left on device"
  ;;
signals)
  # Ctrl-C during `run --trace` left ~800 MB of .tmp files after 1 s.
  printf 'name: long\nthreads:\n  - name: t\n    count: 2\n    run:\n      - repeat: 100000000\n        run: [{cpu: 1us}, {io: 1us}]\n' > long.yaml
  for sig in INT TERM; do
    # --trace-limit: the trace is far above the default 1 GB, which would be
    # refused before anything ran; the stop comes during the untraced run that
    # estimates it, with the results' temporary open.
    "$gilsim" run long.yaml --trace t.json --trace-limit 100000 --json r.json > out.txt 2> err.txt &
    pid=$!
    for _ in $(seq 100); do ls -a | grep -q '\.tmp' && break; sleep 0.1; done
    sleep 0.5
    kill -$sig $pid
    wait $pid; rc=$?
    want=$([ $sig = INT ] && echo 130 || echo 143)
    [ $rc -eq $want ] || fail "SIG$sig: exit $rc, wanted $want"
    err_has "stopped by SIG$sig"
    leftovers=$(ls -a | grep -E 'tmp|t\.json|r\.json')
    [ -z "$leftovers" ] || fail "SIG$sig left: $leftovers"
  done
  # The claims suite stops between two scenarios.
  # The signal goes as soon as the results' temporary exists (the suite has
  # begun): a fixed sleep lost the race to a fast machine, which finished the
  # whole suite first.
  "$gilsim" claims --json c.json > out.txt 2> err.txt &
  pid=$!
  for _ in $(seq 500); do ls -a | grep -q '\.c\.json\.tmp' && break; sleep 0.01; done
  kill -INT $pid
  wait $pid; rc=$?
  [ $rc -eq 130 ] || fail "claims after SIGINT: exit $rc, wanted 130"
  leftovers=$(ls -a | grep -E 'tmp|c\.json')
  [ -z "$leftovers" ] || fail "claims left: $leftovers"
  ;;
progress)
  # A long run printed nothing for hours; on a terminal it now shows a line.
  printf 'name: slow\ntime_limit: 200s\nthreads:\n  - name: t\n    count: 2\n    run:\n      - repeat: 100000000\n        run: [{cpu: 1us}, {io: 1us}]\n' > slow.yaml
  # `script` gives gilsim a terminal; the run is stopped after 3 s.
  timeout -s INT 3 script -qec "$gilsim run slow.yaml" /dev/null > tty.txt 2>&1
  grep -q 'slow main: .* of 200 s simulated .*M events/s.*elapsed.*left' tty.txt ||
    fail "no progress line on the terminal: $(head -c 400 tty.txt)"
  # Not on a file: standard error stays clean.
  timeout -s INT 3 "$gilsim" run slow.yaml > out.txt 2> err.txt
  grep -q 'events/s' err.txt && fail "a progress line went to a file"
  ;;
sweeps)
  sweep=$tests/sweeps/tiny.yaml
  # A folder that is not a sweep's: its results.csv was overwritten.
  mkdir mine && echo precious > mine/results.csv
  expect_exit 2 "$gilsim" sweep "$sweep" --out mine --jobs 1
  err_has "is not empty and is not a sweep's state directory"
  [ "$(cat mine/results.csv)" = precious ] || fail "mine/results.csv was overwritten"
  # Two sweeps in one folder at once.
  expect_exit 0 "$gilsim" sweep "$sweep" --out s --jobs 1
  flock -o s/.lock sleep 5 &
  holder=$!
  sleep 0.5
  expect_exit 2 "$gilsim" sweep "$sweep" --out s --jobs 1
  err_has "another gilsim sweep is running in s"
  kill $holder; wait $holder 2>/dev/null
  # Shards share the folder; one shard twice does not.
  expect_exit 0 "$gilsim" sweep "$sweep" --out s --jobs 1 --shard 1/2
  flock -o s/.lock-2-of-2 sleep 5 &
  holder=$!
  sleep 0.5
  expect_exit 2 "$gilsim" sweep "$sweep" --out s --jobs 1 --shard 2/2
  err_has "running shard 2-of-2 in s"
  kill $holder; wait $holder 2>/dev/null
  # A corrupt point file: the message says which file to delete and what to rerun.
  echo garbage > s/points/000001.json
  expect_exit 2 "$gilsim" sweep "$sweep" --out s --jobs 1
  err_has "delete s/points/000001.json and run again the gilsim sweep command"
  rm s/points/000001.json
  expect_exit 0 "$gilsim" sweep "$sweep" --out s --jobs 1
  ;;
*)
  fail "unknown case $case_name"
  ;;
esac
echo "ok: $case_name"
