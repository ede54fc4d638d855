# Turns a sweep CSV into averaged series for gnuplot.
#
# Columns are found by name in the header, so their order does not matter.
# Rows are grouped into series by the values of the GROUP columns (and by Y
# column when there are several), replications at the same x are averaged.
# Needs csv.awk (awk -f csv.awk -f series.awk).
#
# Variables (awk -v):
#   xcol     the x column          xscale   factor on x (e.g. 1e6: s -> us)
#   ycols    Y columns, space-separated;  yscale  factor on y
#   ynames   labels of the Y columns, space-separated (when several)
#   groupcol the series columns, space-separated: a series per combination
#            of their values, titled as series_label (csv.awk) titles it
#   mode     "mean" (y as it is) or "speedup" (mean y at the smallest x over mean y at x)
#   data     where the series go: gnuplot data blocks, separated by two blank lines
#   titles   where their titles go, one a line, in the same order
# Errors (a missing column, a cell that is not a number) go to stderr with
# the file and line, and the exit status is 2.

function fail(msg) { print "plot.sh: " FILENAME ": " msg > "/dev/stderr"; failed = 1; exit 2 }

function column(name,    i, list) {
  for (i = 1; i <= ncols; i++) if (header[i] == name) return i
  list = header[1]
  for (i = 2; i <= ncols; i++) list = list ", " header[i]
  fail("no column '" name "' (columns: " list ")")
}

function is_number(s) {
  return s ~ /^-?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][-+]?[0-9]+)?$/
}

function number(s, name) {
  if (!is_number(s)) fail("line " FNR ": column '" name "': expected a number, found '" s "'")
  return s + 0
}

BEGIN { failed = 0; nseries = 0 }

{ sub(/\r$/, "") }

FNR == 1 {
  ncols = split_csv($0, header)
  xi = column(xcol)
  ng = split(groupcol, gc, " ")
  for (k = 1; k <= ng; k++) gi[k] = column(gc[k])
  ny = split(ycols, yc, " ")
  split(ynames, yn, " ")
  for (k = 1; k <= ny; k++) yi[k] = column(yc[k])
  next
}

$0 == "" { next }

{
  n = split_csv($0, f)
  if (n != ncols) fail("line " FNR ": expected " ncols " fields as in the header, found " n)
  x = number(f[xi], xcol) * xscale
  for (k = 1; k <= ny; k++) {
    if (f[yi[k]] == "") continue   # a row without this metric
    y = number(f[yi[k]], yc[k]) * yscale
    s = series_label(f, gi, gc, ng) (ny > 1 ? " " yn[k] : "")
    if (!(s in sid)) { sid[s] = ++nseries; sname[nseries] = s; npts[nseries] = 0 }
    id = sid[s]
    if (!((id, x) in cnt)) { px[id, ++npts[id]] = x }
    sum[id, x] += y
    cnt[id, x]++
  }
}

END {
  if (failed) exit 2
  if (nseries == 0) { print "plot.sh: " FILENAME ": no rows with values in " ycols > "/dev/stderr"; exit 2 }
  for (id = 1; id <= nseries; id++) {
    # Insertion sort of the x values (mawk has no asort).
    m = npts[id]
    for (i = 1; i <= m; i++) xs[i] = px[id, i]
    for (i = 2; i <= m; i++) {
      v = xs[i]
      for (j = i - 1; j >= 1 && xs[j] > v; j--) xs[j + 1] = xs[j]
      xs[j + 1] = v
    }
    base = sum[id, xs[1]] / cnt[id, xs[1]]
    if (id > 1) printf "\n\n" > data
    for (i = 1; i <= m; i++) {
      mean = sum[id, xs[i]] / cnt[id, xs[i]]
      if (mode == "speedup") mean = base / mean
      printf "%.10g %.10g\n", xs[i], mean > data
    }
    print sname[id] > titles
  }
}
