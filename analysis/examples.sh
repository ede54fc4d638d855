#!/bin/sh
# Runs the example sweeps of analysis/sweeps/, and draws their plots and the
# report page (the claims table beside them):
#
#   analysis/examples.sh [OUTDIR]        (default: examples)
#
# OUTDIR/sweeps/NAME  each sweep's state directory (resumable: run it again)
# OUTDIR/csv/         their results, and plots.txt: which plot of which CSV
# OUTDIR/report/      index.html, the claims table, and plots/*.svg
#
# GILSIM names the binary (default: build/gilsim beside this directory);
# gnuplot comes from the Debian package gnuplot-nox. Exit code: report.sh's
# (0: written and every claim holds), or gilsim's if a sweep fails.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
out=${1:-examples}
gilsim=${GILSIM:-$here/../build/gilsim}
[ -x "$gilsim" ] || { echo "examples.sh: no gilsim at $gilsim (build it, or set GILSIM)" >&2; exit 2; }
mkdir -p "$out/csv"

sweep() {  # NAME [gilsim sweep options]
  name=$1
  shift
  "$gilsim" sweep "$here/sweeps/$name.yaml" --out "$out/sweeps/$name" --csv "$out/csv/$name.csv" "$@"
}
sweep switch_interval
sweep scaling
sweep convoy --variant beside_cpu    # the baseline `alone` has no CPU-bound threads to group by
sweep c8_latency_vs_load
sweep overload

cat > "$out/csv/plots.txt" <<'PLOTS'
# KIND FILE [analysis/plot.sh options]: the plots of analysis/examples.sh
speedup scaling.csv --x pools.0.workers
speedup switch_interval.csv --x pools.0.workers --group runtime.switch_interval
convoy convoy.csv --y requests.throughput --group threads.1.count
latency c8_latency_vs_load.csv --x requests.0.arrival.poisson
goodput overload.csv --x requests.0.arrival.poisson
PLOTS

GILSIM=$gilsim "$here/report.sh" "$out/report" "$out/csv"
