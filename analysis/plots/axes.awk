# The axes of a sweep CSV, for plot.sh and report.sh (awk -f csv.awk -f axes.awk CSV).
#
# gilsim sweep writes: scenario, variant, point, replication, seed, the axes,
# then the metrics. An axis column is one after `seed` up to the first metric;
# a metric is named by one of gilsim's metric families and none of its parts
# is a number (an axis path indexes a thread group, pool or stream:
# threads.0.count, requests.0.arrival.poisson).
#
# Prints two lines: the plotted axis, the one with the most distinct values
# (the first of those tied: a sweep's first axis when they tie), and the other
# axes, space-separated (empty when there is one). The other axes split the
# curves: one per variant and value of each.

function is_metric(name,    n, p, i) {
  n = split(name, p, ".")
  if (p[1] !~ /^(cores|counters|events|gil|locks|os|pools|processes|requests|resources|tasks|threads|wall)$/) return 0
  for (i = 2; i <= n; i++) if (p[i] ~ /^[0-9]+$/) return 0
  return 1
}

{ sub(/\r$/, "") }

FNR == 1 {
  ncols = split_csv($0, header)
  naxes = 0
  for (i = 6; i <= ncols && !is_metric(header[i]); i++) axis[++naxes] = i
  next
}

$0 == "" { next }

{
  split_csv($0, f)
  for (k = 1; k <= naxes; k++)
    if (!((k, f[axis[k]]) in seen)) { seen[k, f[axis[k]]] = 1; distinct[k]++ }
}

END {
  if (naxes == 0) { print ""; print ""; exit }
  x = 1
  for (k = 2; k <= naxes; k++) if (distinct[k] > distinct[x]) x = k
  print header[axis[x]]
  others = ""
  for (k = 1; k <= naxes; k++) if (k != x) others = others (others == "" ? "" : " ") header[axis[k]]
  print others
}
