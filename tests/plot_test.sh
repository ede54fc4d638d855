#!/bin/sh
# Tests of analysis/plot.sh on the fixtures in tests/fits/ (see their README
# for the numbers they were made from). Run by CTest:
#   tests/plot_test.sh SOURCE_DIR GILSIM WORK_DIR CASE
# CASE: speedup, latency, convoy, goodput (an SVG with the expected series, and the
# plotted numbers), or errors (each error path: exit 2 and its message).
set -u
src=$1 gilsim=$2 work=$3 case=$4
plot="$src/analysis/plot.sh"
fits="$src/tests/fits"
. "$src/tests/analysis_test_setup.sh"

# A complete SVG whose plotted series have exactly these titles, in order.
check_svg() {
  svg=$1; shift
  [ -f "$svg" ] || fail "$svg was not written"
  head -n 1 "$svg" | grep -q '^<?xml' || fail "$svg does not start with an XML declaration"
  grep -q '<svg' "$svg" || fail "$svg has no <svg> element"
  [ "$(grep -v "^[[:space:]]*$" "$svg" | tail -n 1)" = "</svg>" ] || fail "$svg does not end with </svg> (cut short?)"
  if command -v xmllint >/dev/null 2>&1; then
    xmllint --noout "$svg" || fail "$svg is not well-formed XML"
  fi
  want=$#
  got=$(grep -c 'id="gnuplot_plot_[0-9]*"' "$svg")
  [ "$got" -eq "$want" ] || fail "$svg has $got plotted series, wanted $want"
  for t in "$@"; do
    grep -qF "<title>$t</title>" "$svg" || fail "$svg has no series titled '$t'"
  done
  ls "$work" | grep -q partial && fail "a partial file was left in $work"
  return 0
}

# The y value of `title` at x in a --data file.
value_at() {
  awk -v t="# $2" -v x="$3" '$0 == t { on = 1; next } /^#/ { on = 0 } on && $1 == x { print $2 }' "$1"
}

# |$1 - $2| <= $3
near() { awk -v a="$1" -v b="$2" -v tol="$3" 'BEGIN { d = a - b; if (d < 0) d = -d; exit !(a != "" && d <= tol) }'; }

case $case in
  speedup)
    "$plot" speedup "$fits/threads.csv" "$work/speedup.svg" --data "$work/s.txt" || fail "exit code $?"
    check_svg "$work/speedup.svg" free_threaded gil linear
    # wall(1)/wall(16) = X(16)/X(1) = 16/(1 + 0.05*15 + 0.002*16*15) = 7.17489 (README of the fixtures)
    near "$(value_at "$work/s.txt" free_threaded 16)" 7.17489 0.0001 || fail "free_threaded speed-up at 16"
    near "$(value_at "$work/s.txt" gil 16)" 1.01911 0.0001 || fail "gil speed-up at 16 (16/(1 + 0.98*15))"
    # With the USL fits of gilsim fit drawn over the data.
    "$gilsim" fit "$fits/threads.csv" --x threads.0.count --time wall --json "$work/fits.json" >/dev/null ||
      fail "gilsim fit failed"
    "$plot" speedup "$fits/threads.csv" "$work/fitted.svg" --fit "$work/fits.json" || fail "exit code $?"
    check_svg "$work/fitted.svg" free_threaded gil linear "free_threaded, USL fit" "gil, USL fit"
    ;;
  latency)
    "$plot" latency "$fits/latency.csv" "$work/latency.svg" --data "$work/l.txt" || fail "exit code $?"
    check_svg "$work/latency.svg" "asyncio p50" "asyncio p99" "threads p50" "threads p99"
    # The mean of two replications, in ms: 2/(1 - 0.8) × (1, 1.01) -> 10.05
    near "$(value_at "$work/l.txt" "threads p50" 400)" 10.05 0.001 || fail "threads p50 at 400/s"
    ;;
  convoy)
    "$plot" convoy "$fits/convoy.csv" "$work/convoy.svg" --y threads.io.io_ops --group threads.1.count \
      --data "$work/c.txt" || fail "exit code $?"
    check_svg "$work/convoy.svg" 1 2 4
    # x in µs; 1/(130 µs + 2 × 1 ms × (1, 1.02)), averaged -> (469.48 + 460.83)/2 = 465.16
    near "$(value_at "$work/c.txt" 2 1000)" 465.16 0.01 || fail "io_ops at 1 ms with 2 CPU threads"
    ;;
  goodput)
    "$plot" goodput "$fits/saturation.csv" "$work/goodput.svg" --data "$work/g.txt" || fail "exit code $?"
    check_svg "$work/goodput.svg" "inline throughput" "inline goodput" "hybrid throughput" "hybrid goodput" offered
    # Past capacity (50/s) inline answers 50/s, 10/s of them to waiting clients.
    near "$(value_at "$work/g.txt" "inline throughput" 100)" 50 0.001 || fail "inline throughput at 100/s"
    near "$(value_at "$work/g.txt" "inline goodput" 100)" 10 0.001 || fail "inline goodput at 100/s"
    # Below it, both follow the offered load: (200 + 202)/2.
    near "$(value_at "$work/g.txt" "hybrid goodput" 200)" 201 0.001 || fail "hybrid goodput at 200/s"
    ;;
  errors)
    # Each error: exit 2, the message, and no SVG.
    expect_error() {
      msg=$1; shift
      "$@" > "$work/out" 2> "$work/err"
      rc=$?
      [ $rc -eq 2 ] || fail "exit code $rc, wanted 2: $*"
      grep -qF "$msg" "$work/err" || fail "no '$msg' in: $(cat "$work/err")"
      [ ! -e "$work/e.svg" ] || fail "an SVG was written despite the error: $*"
    }
    expect_error "no column 'requests.p50' (columns: scenario, variant" \
      "$plot" latency "$fits/threads.csv" "$work/e.svg"
    expect_error "no column 'threads.io.ops'" \
      "$plot" convoy "$fits/convoy.csv" "$work/e.svg" --y threads.io.ops
    expect_error "convoy needs --y COL" "$plot" convoy "$fits/convoy.csv" "$work/e.svg"
    expect_error "no such file" "$plot" speedup "$work/none.csv" "$work/e.svg"
    expect_error "unknown KIND 'scatter'" "$plot" scatter "$fits/threads.csv" "$work/e.svg"
    expect_error "goodput plots requests.throughput and requests.goodput; --y does not apply" \
      "$plot" goodput "$fits/saturation.csv" "$work/e.svg" --y requests.p50
    expect_error "unknown option '--colour'" "$plot" speedup "$fits/threads.csv" "$work/e.svg" --colour red
    expect_error "usage:" "$plot" speedup
    expect_error "no directory" "$plot" speedup "$fits/threads.csv" "$work/no/e.svg"
    printf 'scenario,variant,point,replication,seed,n,wall\ns,v,0,0,1,1,1\ns,v,1,0,1,two,1\n' > "$work/bad.csv"
    expect_error "line 3: column 'n': expected a number, found 'two'" \
      "$plot" speedup "$work/bad.csv" "$work/e.svg"
    printf 'scenario,variant,point,replication,seed,n,wall\ns,v,0,0,1,1\n' > "$work/short.csv"
    expect_error "line 2: expected 7 fields as in the header, found 6" \
      "$plot" speedup "$work/short.csv" "$work/e.svg"
    expect_error "gnuplot is not installed (Debian: apt-get install -y gnuplot-nox)" \
      env GNUPLOT=/nonexistent/gnuplot "$plot" speedup "$fits/threads.csv" "$work/e.svg"
    ;;
  *) fail "unknown case $case" ;;
esac
echo "ok: $case"
