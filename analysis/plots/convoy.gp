# The convoy effect: what the I/O thread gets done against the switch
# interval (log scale, µs), one line per group (e.g. the number of CPU-bound
# threads beside it).
load plotdir."/style.gp"
set xlabel "switch interval (µs, log scale)"
set ylabel ylabel noenhanced
set logscale x
set autoscale xfix
set yrange [0:*]
