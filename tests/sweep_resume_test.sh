#!/usr/bin/env bash
# Kill and resume: a sweep killed with SIGKILL half-way, then resumed, loses
# and repeats no point. The point files written before the kill are left
# untouched (same inode, same content), the resumed run runs exactly the
# missing points, and its results.csv equals an uninterrupted sweep's.
#
# The kill must land while some but not all points are done. If the sweep
# ends first (a fast machine), the work per point is made 4x larger and the
# test starts over, rather than passing without having killed anything.
#
# Usage: sweep_resume_test.sh GILSIM SCENARIO WORKDIR
set -euo pipefail
trap 'echo "FAIL: line $LINENO: $BASH_COMMAND" >&2' ERR
gilsim=$1 scenario=$2 work=$3
rm -rf "$work" && mkdir -p "$work" && cd "$work"

# Finished points: whole files only (a temporary is a dot-file). 0 before the
# directory exists (the sweep validates every point first).
points() {
  if [ -d "$1/points" ]; then find "$1/points" -maxdepth 1 -name '[0-9]*.json' | wc -l; else echo 0; fi
}

cpu_ms=500
for attempt in 1 2 3 4; do
  axis="threads.0.run.0.cpu=${cpu_ms}ms"
  rm -rf killed
  "$gilsim" sweep "$scenario" "$axis" --out killed --jobs 1 2>/dev/null &
  pid=$!
  total=$(grep -o '"points": [0-9]*' killed/manifest.json 2>/dev/null | grep -o '[0-9]*' || true)
  deadline=$((SECONDS + 120))
  killed_it=no
  while kill -0 "$pid" 2>/dev/null; do
    [ -z "$total" ] && total=$(grep -o '"points": [0-9]*' killed/manifest.json 2>/dev/null | grep -o '[0-9]*' || true)
    n=$(points killed)
    if [ -n "$total" ] && [ "$n" -ge 2 ] && [ "$n" -lt "$total" ]; then
      kill -KILL "$pid"
      killed_it=yes
      break
    fi
    if [ "$SECONDS" -gt "$deadline" ]; then
      kill -KILL "$pid" 2>/dev/null || true
      echo "FAIL: no point finished within 120 s" >&2
      exit 1
    fi
    sleep 0.02
  done
  wait "$pid" 2>/dev/null || true
  [ "$killed_it" = yes ] && break
  echo "the sweep ended before it could be killed; 4x the work per point" >&2
  cpu_ms=$((cpu_ms * 4))
done
if [ "$killed_it" != yes ]; then
  echo "FAIL: could not kill the sweep half-way" >&2
  exit 1
fi

done_before=$(points killed)
echo "killed with $done_before of $total points done"
# Inode and content of every finished point file.
(cd killed/points && for f in [0-9]*.json; do echo "$f $(stat -c %i "$f") $(cksum < "$f")"; done) > before.txt
[ ! -e killed/results.csv ] || { echo "FAIL: results.csv exists after the kill" >&2; exit 1; }

"$gilsim" sweep "$scenario" "$axis" --out killed --jobs 2 2> resumed.err
cat resumed.err
grep -q "resuming: $done_before of $total points already done" resumed.err ||
  { echo "FAIL: the resumed run did not report $done_before done" >&2; exit 1; }
missing=$((total - done_before))
grep -q ", $missing run now," resumed.err ||
  { echo "FAIL: the resumed run did not run exactly the $missing missing points" >&2; exit 1; }
while read -r f inode sum size; do
  [ "$(stat -c %i "killed/points/$f")" = "$inode" ] ||
    { echo "FAIL: $f was rewritten (inode changed)" >&2; exit 1; }
  [ "$(cksum < "killed/points/$f")" = "$sum $size" ] ||
    { echo "FAIL: $f changed" >&2; exit 1; }
done < before.txt
[ "$(points killed)" = "$total" ] || { echo "FAIL: not every point is done" >&2; exit 1; }

"$gilsim" sweep "$scenario" "$axis" --out whole --jobs 2 2>/dev/null
cmp whole/results.csv killed/results.csv
cmp whole/results.json killed/results.json
echo "killed at $done_before of $total points, resumed: results identical to an uninterrupted sweep"
