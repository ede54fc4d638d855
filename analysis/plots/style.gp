# Shared look of every plot: an SVG on white, a light grid, the key outside
# the data, lines with points (the points are the measured x values).
# plot.sh sets `outfile` and `plottitle` with -e before loading this.
set terminal svg size 800,500 font "sans,13" background rgb "white"
set output outfile
set title plottitle noenhanced
set grid lc rgb "#dddddd"
set border lc rgb "#444444"
set key outside right top noenhanced title keytitle noenhanced
set samples 400
set style data linespoints
set pointsize 0.8
set linetype 1 lc rgb "#1f77b4" lw 2 pt 7
set linetype 2 lc rgb "#d62728" lw 2 pt 5
set linetype 3 lc rgb "#2ca02c" lw 2 pt 9
set linetype 4 lc rgb "#9467bd" lw 2 pt 11
set linetype 5 lc rgb "#ff7f0e" lw 2 pt 13
set linetype 6 lc rgb "#8c564b" lw 2 pt 3
set linetype cycle 6
