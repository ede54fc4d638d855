# Latency against load: the 50th and 99th percentiles of request latency (ms)
# against the offered load, one line per variant and percentile.
load plotdir."/style.gp"
set xlabel xlabel." (requests per second)" noenhanced
set ylabel "request latency (ms)"
set logscale y
