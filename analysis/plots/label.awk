# Appends a column `series` to a CSV: each row's series title (series_label in
# csv.awk) from the columns named in `groupcol` (space-separated), so that
# `gilsim fit --by series` fits one curve per series plot.sh draws
# (awk -v groupcol=... -f csv.awk -f label.awk CSV).

function quoted(s) { gsub(/"/, "\"\"", s); return "\"" s "\"" }

{ sub(/\r$/, "") }

FNR == 1 {
  ncols = split_csv($0, header)
  ng = split(groupcol, gc, " ")
  for (k = 1; k <= ng; k++) {
    gi[k] = 0
    for (i = 1; i <= ncols; i++) if (header[i] == gc[k]) gi[k] = i
    if (!gi[k]) { print "report.sh: " FILENAME ": no column '" gc[k] "'" > "/dev/stderr"; exit 2 }
  }
  print $0 ",series"
  next
}

$0 == "" { next }

{
  split_csv($0, f)
  print $0 "," quoted(series_label(f, gi, gc, ng))
}
