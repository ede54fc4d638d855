# Speed-up against the swept axis: wall(N_min)/wall(N), one line per series. The
# dotted diagonal is linear scaling (speed-up = N/N_min); a GIL-bound
# variant stays flat near 1.
load plotdir."/style.gp"
set xlabel xlabel noenhanced
set ylabel "speed-up over the smallest x (times)"
set yrange [0:*]
set xrange [0:*]
