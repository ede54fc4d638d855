# Goodput against load: the responses per second sent (throughput) and those
# that reached a client still waiting (goodput) against the offered load, one
# line per variant and measure; dotted, the offered load itself.
load plotdir."/style.gp"
set xlabel xlabel." (requests per second)" noenhanced
set ylabel "responses per second"
set yrange [0:*]
