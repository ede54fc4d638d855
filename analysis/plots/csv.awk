# CSV helpers shared by the plotting scripts (awk -f csv.awk -f OTHER.awk).

# Splits one CSV line into f[1..n] (RFC 4180 quoting within a line).
function split_csv(line, f,    n, i, c, field, quoted) {
  n = 0; field = ""; quoted = 0
  for (i = 1; i <= length(line); i++) {
    c = substr(line, i, 1)
    if (quoted) {
      if (c == "\"") {
        if (substr(line, i + 1, 1) == "\"") { field = field "\""; i++ } else quoted = 0
      } else field = field c
    } else if (c == "\"") quoted = 1
    else if (c == ",") { f[++n] = field; field = "" }
    else field = field c
  }
  f[++n] = field
  return n
}

# A series' title from the values of its group columns gi[1..ng] (named
# gc[1..ng]) in row f: the first column's value, then "NAME=VALUE" for each
# other one ("threads, runtime.switch_interval=0.005"). gilsim fit's groups
# are titled alike (report.sh), so fitted curves find their series.
function series_label(f, gi, gc, ng,    k, s) {
  s = f[gi[1]]
  for (k = 2; k <= ng; k++) s = s ", " gc[k] "=" f[gi[k]]
  return s
}
