#!/bin/sh
# Tests of analysis/report.sh (it runs the real claims suite: about 1 s).
#   tests/report_test.sh SOURCE_DIR GILSIM WORK_DIR CASE
# CASE: page (the claims table and the plots of tests/fits/plots.txt),
# escaping (text from a CSV is escaped; plots chosen without plots.txt),
# errors (exit 2 and a message).
set -u
src=$1 gilsim=$2 work=$3 case=$4
report="$src/analysis/report.sh"
. "$src/tests/analysis_test_setup.sh"

# Every <img src> of the page names an existing file; prints how many.
check_images() {
  n=0
  for f in $(grep -o '<img src="[^"]*"' "$1/index.html" | sed 's/<img src="//; s/"$//'); do
    [ -s "$1/$f" ] || fail "<img src=\"$f\"> does not resolve to a file in $1"
    n=$((n + 1))
  done
  echo "$n"
}

case $case in
  page)
    GILSIM=$gilsim "$report" "$work/out" "$src/tests/fits" || fail "exit code $?"
    page="$work/out/index.html"
    [ -f "$page" ] || fail "no index.html"
    for i in 1 2 3 4 5 6 7 8 9 10 11 12; do
      [ "$(grep -c "^<tr><td>C$i</td>" "$page")" -eq 1 ] || fail "no single table row for claim C$i"
    done
    # Each claim's verdict is what gilsim claims printed for it.
    grep -q '^<tr><td>C2</td><td>CPU-bound threads give no speed-up;.*<b>c2-cpu-bound-threads</b><ul><li>speed-up 2 threads = [0-9.]*</li>.*<td class="holds">holds</td></tr>$' "$page" ||
      fail "the C2 row lacks the article's words, its scenario, a figure or its verdict"
    grep -q '^<tr><td>C8</td>.*<b>c8-capacity</b>.*<b>c8-server-latency</b>.*<td class="holds">holds</td></tr>$' "$page" ||
      fail "the C8 row lacks its scenarios or its verdict"
    holds=$(grep -c 'class="holds">holds' "$page")
    printed=$(grep -c '^C[0-9]* .* holds$' "$work/out/claims.txt")
    [ "$holds" -eq "$printed" ] || fail "$holds claims hold on the page, $printed in gilsim's table"
    [ "$(check_images "$work/out")" -eq 3 ] || fail "wanted 3 plots (tests/fits/plots.txt)"
    [ "$(grep -c '<figcaption>' "$page")" -eq 3 ] || fail "wanted a paragraph per plot"
    grep -q 'Dashed: the Universal Scalability Law fitted by gilsim fit (free_threaded: σ = 0.05, κ = 0.002' "$page" ||
      fail "the speed-up paragraph lacks the fitted coefficients"
    grep -qi '<script\|https\?:' "$page" && fail "the page has a script or a network address"
    ls "$work/out" | grep -q partial && fail "a partial file was left"
    ;;
  escaping)
    mkdir -p "$work/sweeps"
    sed 's/,gil,/,"g<i>\&""l'"'"'",/' "$src/tests/fits/threads.csv" > "$work/sweeps/odd.csv"
    cp "$src/tests/fits/latency.csv" "$work/sweeps/"
    GILSIM=$gilsim "$report" "$work/out" "$work/sweeps" || fail "exit code $?"
    page="$work/out/index.html"
    grep -qF 'g&lt;i&gt;&amp;&quot;l&#39;: σ = 0.98' "$page" || fail "the variant name is not escaped in the page"
    grep -qF 'g<i>' "$page" && fail "raw markup from the CSV in the page"
    # Without plots.txt: latency for the CSV with requests.p50, speed-up for the other.
    [ "$(check_images "$work/out")" -eq 2 ] || fail "wanted 2 plots"
    grep -q '<img src="plots/1-latency-latency.svg"' "$page" || fail "no latency plot"
    grep -q '<img src="plots/2-speedup-odd.svg"' "$page" || fail "no speed-up plot"
    # The fitted curve of the oddly named variant is drawn too.
    grep -qF '<title>g&lt;i>&amp;"l'"'"', USL fit</title>' "$work/out/plots/2-speedup-odd.svg" ||
      fail "no fitted curve for the oddly named variant"
    ;;
  errors)
    GILSIM=$gilsim "$report" "$work/out" "$work/none" 2> "$work/err"
    [ $? -eq 2 ] && grep -q "no such directory" "$work/err" || fail "a missing sweep directory: $(cat "$work/err")"
    GILSIM=$work/no-gilsim "$report" "$work/out" 2> "$work/err"
    [ $? -eq 2 ] && grep -q "no gilsim at" "$work/err" || fail "a missing gilsim: $(cat "$work/err")"
    mkdir -p "$work/sweeps" && printf 'convoy missing.csv --y x\n' > "$work/sweeps/plots.txt"
    GILSIM=$gilsim "$report" "$work/out" "$work/sweeps" 2> "$work/err"
    [ $? -eq 2 ] && grep -q "missing.csv: no such file" "$work/err" || fail "a missing CSV: $(cat "$work/err")"
    printf 'scatter threads.csv\n' > "$work/sweeps/plots.txt" && cp "$src/tests/fits/threads.csv" "$work/sweeps/"
    GILSIM=$gilsim "$report" "$work/out" "$work/sweeps" 2> "$work/err"
    [ $? -eq 2 ] && grep -q "unknown KIND 'scatter'" "$work/err" || fail "an unknown KIND: $(cat "$work/err")"
    GILSIM=$gilsim "$report" 2> "$work/err"
    [ $? -eq 2 ] && grep -q "usage:" "$work/err" || fail "no OUTDIR: $(cat "$work/err")"
    [ ! -e "$work/out/index.html" ] || fail "a page was written despite the errors"
    ;;
  *) fail "unknown case $case" ;;
esac
echo "ok: $case"
