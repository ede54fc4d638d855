# The convoy effect: what the I/O thread gets done against the switch
# interval (log scale, µs), one line per group (e.g. the number of CPU-bound
# threads beside it).
load plotdir."/style.gp"
set xlabel "switch interval (µs, log scale)"
set ylabel ylabel." (log scale)" noenhanced
# Both axes logarithmic: the I/O thread's rate falls as 1/interval, a
# straight line of slope -1 here, over orders of magnitude.
set logscale xy
set autoscale xfix
