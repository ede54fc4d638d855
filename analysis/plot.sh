#!/bin/sh
# Draws a sweep CSV (the format of `gilsim sweep`) as an SVG with gnuplot.
#
#   analysis/plot.sh KIND CSV OUT.svg [--x COL] [--y COL] [--group COL] [--fit FITS.json]
#                    [--data PATH]
#
# KIND:
#   speedup  wall(N_min)/wall(N) against --x (default: the axis with the most
#            values, the first of those tied), one line per --group value
#            (default: per variant and value of every other axis);
#            --y names the wall-time column (default: wall); --fit draws the
#            USL curves of `gilsim fit CSV --x COL --time wall --json FITS.json`
#   latency  requests.p50 and requests.p99 in ms against --x (default: as
#            speedup), one line per --group value and percentile
#   convoy   --y COL (required) against runtime.switch_interval in µs on a log
#            scale (--x to use another column), one line per --group value
#            (default: as speedup), e.g. --group threads.1.count
#   goodput  requests.throughput and requests.goodput against --x (default:
#            as speedup, an arrival rate), one line per --group
#            value and measure; dotted, the offered load (y = x)
#
# --data PATH also writes the plotted series as text: "# TITLE" then "x y"
# lines, per series. --group takes one column, or several separated by
# spaces (one argument). Columns are found by name. Replications are averaged. The SVG is written
# beside OUT and renamed when complete. Errors (a missing column or file, a
# bad cell, no gnuplot) print a message and exit 2. GNUPLOT names the gnuplot
# program (default: gnuplot, Debian package gnuplot-nox).
set -eu

here=$(cd "$(dirname "$0")" && pwd)
usage="usage: analysis/plot.sh speedup|latency|convoy|goodput CSV OUT.svg [--x COL] [--y COL] [--group COL] [--fit FITS.json] [--data PATH]"
die() { echo "plot.sh: $*" >&2; exit 2; }

[ $# -ge 3 ] || die "$usage"
kind=$1 csv=$2 out=$3
shift 3
x= y= group=variant fit= data= group_given=
while [ $# -gt 0 ]; do
  [ $# -ge 2 ] || die "$1 wants a value; $usage"
  case $1 in
    --x) x=$2 ;;
    --y) y=$2 ;;
    --group) group=$2 group_given=1 ;;
    --fit) fit=$2 ;;
    --data) data=$2 ;;
    *) die "unknown option '$1'; $usage" ;;
  esac
  shift 2
done

case $kind in speedup|latency|convoy|goodput) ;; *) die "unknown KIND '$kind' (speedup, latency, convoy or goodput)" ;; esac
[ -f "$csv" ] || die "$csv: no such file"
[ -z "$fit" ] || [ "$kind" = speedup ] || die "--fit applies to 'speedup'"
[ -z "$fit" ] || [ -f "$fit" ] || die "$fit: no such file"
gnuplot=${GNUPLOT:-gnuplot}
command -v "$gnuplot" >/dev/null 2>&1 ||
  die "gnuplot is not installed (Debian: apt-get install -y gnuplot-nox), or GNUPLOT names no program"
outdir=$(dirname "$out")
[ -d "$outdir" ] || die "cannot write $out: no directory $outdir"

# The plotted axis and the others (plots/axes.awk): x is the axis with the
# most values; unless --group is given, the curves are split by variant and
# by each other axis, rather than averaging it away.
axes=$(LC_ALL=C awk -f "$here/plots/csv.awk" -f "$here/plots/axes.awk" "$csv")
first_axis() { printf '%s\n' "$axes" | sed -n 1p; }

yscale=1 xscale=1 mode=mean ynames=
case $kind in
  speedup)
    [ -n "$x" ] || x=$(first_axis)
    [ -n "$y" ] || y=wall
    mode=speedup
    title="Speed-up against $x"
    ;;
  latency)
    [ -n "$x" ] || x=$(first_axis)
    [ -z "$y" ] || die "latency plots requests.p50 and requests.p99; --y does not apply"
    y="requests.p50 requests.p99" ynames="p50 p99" yscale=1000
    title="Request latency against $x"
    ;;
  goodput)
    [ -n "$x" ] || x=$(first_axis)
    [ -z "$y" ] || die "goodput plots requests.throughput and requests.goodput; --y does not apply"
    y="requests.throughput requests.goodput" ynames="throughput goodput"
    title="Throughput and goodput against $x"
    ;;
  convoy)
    [ -n "$x" ] || x=runtime.switch_interval
    [ -n "$y" ] || die "convoy needs --y COL, the I/O thread's metric (e.g. threads.io.io_ops)"
    xscale=1000000
    ;;
esac
if [ -z "$group_given" ]; then
  group=variant
  for a in $axes; do [ "$a" = "$x" ] || group="$group $a"; done
fi
groups=$(printf '%s' "$group" | sed 's/ /, /g')
[ "$kind" != convoy ] || title="$y against the switch interval, by $groups"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
LC_ALL=C awk -v xcol="$x" -v ycols="$y" -v ynames="$ynames" -v groupcol="$group" \
  -v xscale="$xscale" -v yscale="$yscale" -v mode="$mode" \
  -v data="$tmp/data" -v titles="$tmp/titles" -f "$here/plots/csv.awk" -f "$here/plots/series.awk" "$csv" || exit 2

# gnuplot's single-quoted strings: a quote is written twice.
quote() { printf "'%s'" "$(printf '%s' "$1" | sed "s/'/''/g")"; }

{
  printf 'plot '
  i=0
  while IFS= read -r t; do
    [ $i -eq 0 ] || printf ', '
    printf "datafile index %d using 1:2 title %s lt %d" "$i" "$(quote "$t")" $((i + 1))
    i=$((i + 1))
  done < "$tmp/titles"
  if [ "$kind" = goodput ]; then
    printf ", x with lines dt 3 lc rgb '#888888' title 'offered'"
  fi
  if [ "$kind" = speedup ]; then
    xmin=$(awk 'NF == 2 && (m == "" || $1 < m) { m = $1 } END { print m }' "$tmp/data")
    printf ", x / %s with lines dt 3 lc rgb '#888888' title 'linear'" "$xmin"
    if [ -n "$fit" ]; then
      # One fit per line in gilsim fit's JSON; the USL curve of each series,
      # as a speed-up over the series' smallest N.
      i=0
      while IFS= read -r t; do
        i=$((i + 1))
        # The title as gilsim writes it in JSON: \ and " escaped.
        # (through the environment: awk -v would undo the escapes).
        coeffs=$(G=$(printf '%s' "$t" | sed 's/[\\"]/\\&/g') LC_ALL=C awk '
          BEGIN { g = ENVIRON["G"] }
          index($0, "\"model\": \"usl\"") && index($0, "{\"group\": \"" g "\",") {
            for (k = 1; k <= 3; k++) {
              name = k == 1 ? "lambda" : k == 2 ? "sigma" : "kappa"
              match($0, "\"" name "\": [-0-9.eE+]+")
              v[k] = substr($0, RSTART + length(name) + 4, RLENGTH - length(name) - 4)
            }
            print v[1], v[2], v[3]; exit
          }' "$fit")
        [ -n "$coeffs" ] || continue
        x0=$(awk -v b=$((i - 1)) 'BEGIN { blk = 0 } /^$/ { e++; if (e == 2) { blk++; e = 0 }; next } { e = 0 } blk == b { print $1; exit }' "$tmp/data")
        set -- $coeffs
        printf ", (x < %s ? 1/0 : usl(x, %s, %s, %s) / usl(%s, %s, %s, %s)) with lines dt 2 lt %d title %s" \
          "$x0" "$1" "$2" "$3" "$x0" "$1" "$2" "$3" "$i" "$(quote "$t, USL fit")"
      done < "$tmp/titles"
    fi
  fi
  printf '\n'
} > "$tmp/plot.gp"

partial="$out.partial.$$"
trap 'rm -rf "$tmp" "$partial"' EXIT
"$gnuplot" -e "plotdir=$(quote "$here/plots"); outfile=$(quote "$partial"); plottitle=$(quote "$title")" \
  -e "keytitle=$(quote "$groups")" \
  -e "xlabel=$(quote "$x"); ylabel=$(quote "$y"); datafile=$(quote "$tmp/data")" \
  -e "usl(x, l, s, k) = l * x / (1 + s * (x - 1) + k * x * (x - 1))" \
  "$here/plots/$kind.gp" "$tmp/plot.gp" 2> "$tmp/gnuplot.err" || {
  cat "$tmp/gnuplot.err" >&2
  die "gnuplot failed"
}
mv "$partial" "$out"
if [ -n "$data" ]; then
  awk -v titles="$tmp/titles" 'BEGIN { getline t < titles; print "# " t }
    /^$/ { blank++; next }
    { if (blank == 2) { getline t < titles; print "# " t }; blank = 0; print }' "$tmp/data" > "$data.partial.$$"
  mv "$data.partial.$$" "$data"
fi
