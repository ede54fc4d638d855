#!/bin/sh
# Writes the report page: the claims table and the plots of sweep results.
#
#   analysis/report.sh OUTDIR [SWEEP_DIR]
#
# Runs `gilsim claims --json` (GILSIM names the binary; default build/gilsim
# beside this script's directory), renders the plots of the sweep CSVs in
# SWEEP_DIR with analysis/plot.sh, and writes OUTDIR/index.html (plain HTML,
# inline CSS, no script, nothing from the network) with the SVGs under
# OUTDIR/plots/. Which plots: SWEEP_DIR/plots.txt if it exists, one plot a
# line, `KIND FILE.csv [plot.sh options]` ('#' starts a comment); otherwise
# each CSV with requests.p50 gets a latency plot and each other CSV with a
# `wall` column a speed-up plot (a convoy plot needs --y: list it in plots.txt).
# A speed-up plot also gets the USL fits of `gilsim fit` when they succeed,
# and a latency plot of a CSV with requests.offered the saturation points of
# `gilsim saturation`.
#
# Exit code: 0 when the page is written and every modelled claim holds; 1 when
# it is written but a claim fails; 2 on bad input (a plot that cannot be
# drawn); 3 when gilsim fails.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
die() { echo "report.sh: $*" >&2; exit "${2:-2}"; }
[ $# -ge 1 ] && [ $# -le 2 ] || die "usage: analysis/report.sh OUTDIR [SWEEP_DIR]"
outdir=$1 sweeps=${2:-}
gilsim=${GILSIM:-$here/../build/gilsim}
[ -x "$gilsim" ] || die "no gilsim at $gilsim (build it, or set GILSIM)"
[ -z "$sweeps" ] || [ -d "$sweeps" ] || die "$sweeps: no such directory"
mkdir -p "$outdir/plots" || die "cannot make $outdir/plots"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# --- the claims ----------------------------------------------------------------
claims_rc=0
"$gilsim" claims --json "$outdir/claims.json" > "$outdir/claims.txt" 2> "$tmp/claims.err" || claims_rc=$?
[ "$claims_rc" -le 1 ] || { cat "$tmp/claims.err" >&2; die "gilsim claims failed (exit $claims_rc)" 3; }

# The table's claims and what the article says, from the printed table: a
# row starts with the claim's id; "the article says" starts where its header
# does and ends at the next two spaces (cells are separated by two spaces,
# text inside a cell by one), which holds for UTF-8 text too.
LC_ALL=C awk '
  /^claim  the article says/ { start = index($0, "the article says"); next }
  !start { next }
  /^C[0-9]+ / { id = $1; order[++n] = id; says[id] = "" }
  /^[^ ]/ && !/^C[0-9]+ / { exit }
  /^$/ { next }
  {
    cell = substr($0, start)
    if (cell ~ /^ /) next
    end = index(cell, "  ")
    if (end) cell = substr(cell, 1, end - 1)
    says[id] = says[id] (says[id] == "" ? "" : " ") cell
  }
  END { for (i = 1; i <= n; i++) print order[i] "\t" says[order[i]] }
' "$outdir/claims.txt" > "$tmp/says"
[ -s "$tmp/says" ] || die "cannot read the claims table printed by gilsim claims" 3

# Figures and verdicts, from the JSON: gilsim writes each figure and each
# expectation as a one-line object, so the file reads line by line.
LC_ALL=C awk '
  function str(key,    at, s, i, c, out) {
    at = index($0, "\"" key "\": \"")
    if (!at) return ""
    s = substr($0, at + length(key) + 5)
    out = ""
    for (i = 1; i <= length(s); i++) {
      c = substr(s, i, 1)
      if (c == "\\") {
        c = substr(s, ++i, 1)
        if (c == "n") c = " "; else if (c == "t") c = " "; else if (c == "u") { c = "?"; i += 4 }
      } else if (c == "\"") break
      out = out c
    }
    return out
  }
  /^  {$/ { scen = "" }
  /^    "scenario": / { scen = str("scenario"); order[++n] = scen; holds[scen] = "holds" }
  /^    "claim": / { claim[scen] = str("claim") }
  /^      {"expr": .*"holds": false/ { holds[scen] = "fails" }
  /^      {"label": / {
    v = $0; sub(/.*"value": /, "", v); sub(/}.*/, "", v)
    if (v == "null") v = "-"
    else if (v + 0 == int(v + 0) && v + 0 < 1e15 && v + 0 > -1e15) v = sprintf("%d", v)
    else v = sprintf("%.4g", v)
    fig[scen] = fig[scen] (fig[scen] == "" ? "" : "\037") str("label") " = " v
  }
  END { for (i = 1; i <= n; i++) printf "%s\t%s\t%s\t%s\n", claim[order[i]], order[i], holds[order[i]], fig[order[i]] }
' "$outdir/claims.json" > "$tmp/scenarios"

# --- the plots -----------------------------------------------------------------
# One line per plot: KIND<TAB>FILE<TAB>OPTIONS
: > "$tmp/plots"
if [ -n "$sweeps" ]; then
  if [ -f "$sweeps/plots.txt" ]; then
    grep -v '^[[:space:]]*\(#\|$\)' "$sweeps/plots.txt" | while read -r kind file opts; do
      printf '%s\t%s\t%s\n' "$kind" "$file" "$opts"
    done > "$tmp/plots"
  else
    for f in $(cd "$sweeps" && LC_ALL=C ls | grep '\.csv$'); do
      header=$(head -n 1 "$sweeps/$f" | tr -d '\r')
      case ",$header," in
        *,requests.p50,*) printf 'latency\t%s\t\n' "$f" ;;
        *,runtime.switch_interval,*) ;;
        *,wall,*) printf 'speedup\t%s\t\n' "$f" ;;
      esac
    done > "$tmp/plots"
  fi
fi

html() { sed -e 's/&/\&amp;/g' -e 's/</\&lt;/g' -e 's/>/\&gt;/g' -e 's/"/\&quot;/g' -e "s/'/\&#39;/g"; }

# Writes the paragraph and <img> of each plot to $tmp/plots.html.
: > "$tmp/plots.html"
i=0
while IFS="$(printf '\t')" read -r kind file opts; do
  i=$((i + 1))
  csv="$sweeps/$file"
  [ -f "$csv" ] || die "$sweeps/plots.txt: $file: no such file"
  svg="plots/$i-$kind-$(basename "$file" .csv).svg"
  fitopt= fitnote=
  if [ "$kind" = speedup ]; then
    xcol=$(printf '%s' "$opts" | sed -n 's/.*--x \([^ ]*\).*/\1/p')
    [ -n "$xcol" ] || xcol=$(head -n 1 "$csv" | tr -d '\r' | cut -d, -f6)
    # One fit per line of the plot: by its --group column (default variant).
    bycol=$(printf '%s' "$opts" | sed -n 's/.*--group \([^ ]*\).*/\1/p')
    [ -n "$bycol" ] || bycol=variant
    if "$gilsim" fit "$csv" --x "$xcol" --time wall --by "$bycol" --json "$tmp/fits$i.json" > /dev/null 2>&1; then
      fitopt="--fit $tmp/fits$i.json"
      fitnote=$(LC_ALL=C awk '/"model": "usl"/ {
          g = $0; sub(/^.*"group": "/, "", g); sub(/", "x":.*$/, "", g)
          gsub(/\\"/, "\"", g); gsub(/\\\\/, "\\", g)
          s = $0; sub(/^.*"sigma": /, "", s); sub(/,.*$/, "", s)
          k = $0; sub(/^.*"kappa": /, "", k); sub(/,.*$/, "", k)
          printf "%s%s: σ = %.3g, κ = %.3g", sep, g, s, k; sep = "; "
        }' "$tmp/fits$i.json")
    fi
  fi
  satnote=
  if { [ "$kind" = latency ] || [ "$kind" = goodput ]; } &&
    head -n 1 "$csv" | tr -d '\r' | grep -q ',requests\.offered\(,\|$\)'; then
    served=
    [ "$kind" = latency ] || served=--goodput
    xcol=$(printf '%s' "$opts" | sed -n 's/.*--x \([^ ]*\).*/\1/p')
    [ -n "$xcol" ] || xcol=$(head -n 1 "$csv" | tr -d '\r' | cut -d, -f6)
    # Where each variant saturates (gilsim saturation), said under the plot.
    # shellcheck disable=SC2086 # empty or one word
    if "$gilsim" saturation "$csv" --load "$xcol" $served --json "$tmp/saturation$i.json" > /dev/null 2>&1; then
      satnote=$(LC_ALL=C awk '/"group": / {
          g = $0; sub(/^.*"group": "/, "", g); sub(/", "capacity":.*$/, "", g)
          h = $0; sub(/^.*"at_highest_load": /, "", h); sub(/,.*$/, "", h)
          gsub(/\\"/, "\"", g); gsub(/\\\\/, "\\", g)
          c = $0; sub(/^.*"capacity": /, "", c); sub(/,.*$/, "", c)
          s = $0; sub(/^.*"saturates": \{/, "", s); sub(/\}.*$/, "", s)
          w = s; sub(/^"where": "/, "", w); sub(/".*$/, "", w)
          a = s; sub(/^.*"at": /, "", a); sub(/,.*$/, "", a)
          if (w == "between") t = sprintf("saturates at %.3g/s", a)
          else if (w == "beyond") t = sprintf("keeps up to the highest load, %.3g/s", a)
          else t = sprintf("is saturated already at %.3g/s", a)
          printf "%s%s %s (capacity %.3g/s, %.3g/s at the highest load)", sep, g, t, c, h; sep = "; "
        }' "$tmp/saturation$i.json")
    fi
  fi
  # shellcheck disable=SC2086 # options are words
  "$here/plot.sh" "$kind" "$csv" "$outdir/$svg" $opts $fitopt || die "cannot draw $kind of $file"
  case $kind in
    speedup) what="Speed-up of each variant over its run with the fewest workers (wall time at the smallest x over wall time at x, replications averaged), against the sweep's workers axis. The dotted diagonal is linear scaling; a GIL-bound variant stays flat near 1 (σ near 1)."
      [ -z "$fitnote" ] || what="$what Dashed: the Universal Scalability Law fitted by gilsim fit ($fitnote)." ;;
    latency) what="Median (p50) and 99th-percentile (p99) request latency in milliseconds against the offered load, one line per variant and percentile: where a variant's latency turns up is its capacity."
      [ -z "$satnote" ] || what="$what Where each stops keeping up with its load (gilsim saturation: throughput below 95 % of the offered load): $satnote." ;;
    goodput) what="Responses per second against the offered load, one line per variant: all of them (throughput) and those that reached a client still waiting (goodput); dotted, the offered load. Past capacity a server with an unbounded queue stays busy answering clients that have timed out, and its goodput collapses; a bounded queue (a listen backlog, uvicorn's limit_concurrency) turns the excess away and keeps it."
      [ -z "$satnote" ] || what="$what Where each stops keeping up (gilsim saturation --goodput): $satnote." ;;
    convoy) what="What the I/O thread gets done against the switch interval (log scale, µs), one line per value of the group column: beside CPU-bound threads, each I/O completion waits up to one switch interval for the GIL (the convoy effect), so a longer interval costs the I/O thread more." ;;
    *) die "$sweeps/plots.txt: unknown KIND '$kind'" ;;
  esac
  {
    printf '<figure>\n<img src="%s" alt="%s plot of %s">\n' "$(printf '%s' "$svg" | html)" "$kind" "$(printf '%s' "$file" | html)"
    printf '<figcaption><b>%s</b> (%s). %s</figcaption>\n</figure>\n' "$(printf '%s' "$kind" | html)" \
      "$(printf '%s' "$file $opts" | html)" "$(printf '%s' "$what" | html)"
  } >> "$tmp/plots.html"
done < "$tmp/plots"

# --- the page --------------------------------------------------------------------
{
  cat <<'HEAD'
<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>gilsim report</title>
<style>
body { font-family: sans-serif; max-width: 70em; margin: 2em auto; color: #222; background: #fff; line-height: 1.4; }
table { border-collapse: collapse; width: 100%; }
th, td { border: 1px solid #ccc; padding: 0.4em 0.6em; vertical-align: top; text-align: left; }
th { background: #f2f2f2; }
td.holds { color: #1a7f37; font-weight: bold; }
td.fails { color: #c62828; font-weight: bold; }
td.none { color: #777; }
ul { margin: 0; padding-left: 1.2em; }
figure { margin: 2em 0; }
figure img { max-width: 100%; border: 1px solid #ddd; }
</style>
</head>
<body>
<h1>gilsim report</h1>
<h2>The article's claims</h2>
<table>
<tr><th>claim</th><th>what the article says</th><th>gilsim's figures</th><th>holds</th></tr>
HEAD
  while IFS="$(printf '\t')" read -r id says; do
    printf '<tr><td>%s</td><td>%s</td><td>' "$(printf '%s' "$id" | html)" "$(printf '%s' "$says" | html)"
    verdict=none
    # This claim's scenarios (one a line: claim, scenario, verdict, figures
    # separated by \037), as S(cenario), F(igure) and E(nd) lines.
    LC_ALL=C awk -F '\t' -v id="$id" '$1 == id {
        print "S\t" $2 "\t" $3
        n = split($4, f, "\037")
        for (i = 1; i <= n; i++) print "F\t" f[i]
        print "E"
      }' "$tmp/scenarios" > "$tmp/claim"
    while IFS="$(printf '\t')" read -r tag a b; do
      case $tag in
        S) [ "$verdict" = fails ] || verdict=$b
           printf '<b>%s</b><ul>' "$(printf '%s' "$a" | html)" ;;
        F) printf '<li>%s</li>' "$(printf '%s' "$a" | html)" ;;
        E) printf '</ul>' ;;
      esac
    done < "$tmp/claim"
    case $verdict in
      holds) printf '</td><td class="holds">holds</td></tr>\n' ;;
      fails) printf '</td><td class="fails">fails</td></tr>\n' ;;
      *) printf 'not modelled yet</td><td class="none">-</td></tr>\n' ;;
    esac
  done < "$tmp/says"
  echo '</table>'
  printf '<p>%s</p>\n' "$(tail -n 1 "$outdir/claims.txt" | html)"
  if [ -s "$tmp/plots.html" ]; then
    echo '<h2>Sweeps</h2>'
    cat "$tmp/plots.html"
  fi
  printf '<p>Made by <code>analysis/report.sh</code> from <code>gilsim claims --json</code> (claims.json beside this page)%s.</p>\n' \
    "$([ -z "$sweeps" ] || printf ' and the sweep results in <code>%s</code>' "$(printf '%s' "$sweeps" | html)")"
  echo '</body>'
  echo '</html>'
} > "$tmp/index.html"
mv "$tmp/index.html" "$outdir/index.html.partial.$$"
mv "$outdir/index.html.partial.$$" "$outdir/index.html"
exit "$claims_rc"
