# Speed-up against workers: wall(N_min)/wall(N), one line per variant. The
# dotted diagonal is linear scaling (speed-up = N/N_min); a GIL-bound
# variant stays flat near 1.
load plotdir."/style.gp"
set xlabel xlabel." (workers)" noenhanced
set ylabel "speed-up over the fewest workers (x)"
set yrange [0:*]
set xrange [0:*]
