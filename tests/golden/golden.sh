#!/usr/bin/env bash
# The golden check: every output gilsim writes for the shipped scenarios and
# sweeps, hashed, against tests/golden/SHA256SUMS. A refactoring must leave
# every line of that file as it is; a change of the model that is meant to
# change results updates it (--update) and says so in its commit.
#
#   tests/golden/golden.sh GILSIM WORKDIR            check (exit 1 on any difference)
#   tests/golden/golden.sh GILSIM WORKDIR --update   rewrite SHA256SUMS
#   tests/golden/golden.sh GILSIM WORKDIR --keep     keep every output (to diff two builds)
#
# What it covers: each file of scenarios/ and tests/scenarios/ run whole
# (terminal text, --json, --csv, a Chrome trace and an SVG timeline per
# variant); each sweep of analysis/sweeps/ and tests/sweeps/ (results.csv,
# results.json, fits.json, saturation.json); the benchmark's event counts.
# Paths are relative to the source tree, so that the outputs do not depend on
# where it is checked out. Traces are hashed and deleted one scenario at a
# time (they add up to ~2 GB).
set -euo pipefail
gilsim=$(realpath "$1")
work=$(realpath -m "$2")
mode=${3:-check}
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
bench=$(dirname "$gilsim")/gilsim_bench

rm -rf "$work"
mkdir -p "$work/out"
cd "$root"
sums=$work/SHA256SUMS.new
: > "$sums"

hash_into() {  # hash_into NAME... : appends "sha256  name" for files under $work/out
  (cd "$work/out" && sha256sum "$@") >> "$sums"
}

for f in scenarios/*.yaml tests/scenarios/*.yaml; do
  b=$(basename "$f" .yaml)
  o=$work/out
  status=0
  "$gilsim" run "$f" --json "$o/$b.json" --csv "$o/$b.csv" --trace "$o/$b.trace.json" --svg "$o/$b.svg" \
    > "$o/$b.txt" 2>&1 || status=$?
  echo "exit $status" >> "$o/$b.txt"
  (cd "$o" && ls "$b".* | LC_ALL=C sort) > "$work/files"
  mapfile -t files < "$work/files"
  hash_into "${files[@]}"
  if [ "$mode" != --keep ]; then
    (cd "$o" && rm -f "$b".trace.* "$b".svg)
  fi
done

for f in analysis/sweeps/*.yaml tests/sweeps/*.yaml; do
  b=sweep_$(basename "$f" .yaml)
  # --out relative to the work folder: messages name it, and must not depend on where that is.
  (cd "$work" && "$gilsim" sweep "$root/$f" --out "$b" --jobs 2) > "$work/out/$b.txt" 2>&1 ||
    echo "exit $?" >> "$work/out/$b.txt"
  # The last line says how long the sweep took: not part of the result.
  sed -i '/^sweep: .* in [0-9.]* s -> /d' "$work/out/$b.txt"
  for r in results.csv results.json fits.json saturation.json; do
    [ -f "$work/$b/$r" ] && cp "$work/$b/$r" "$work/out/$b.$r"
  done
  (cd "$work/out" && ls "$b".* | LC_ALL=C sort) > "$work/files"
  mapfile -t files < "$work/files"
  hash_into "${files[@]}"
  rm -rf "${work:?}/$b"
done

# The benchmark's workloads, shortened: the same events before and after.
if [ -x "$bench" ]; then
  {
    "$bench" --no-trace --repeat 1 --cpu 1
    "$bench" --server --no-trace --repeat 1 --cpu 2
  } | awk -F'|' '/^untraced/ { print $2 "|" $4 } /requests per wall/ { sub(/,.*/, ""); print }' | tr -s ' ' > "$work/out/bench.txt"
  hash_into bench.txt
fi

case "$mode" in
  --update)
    cp "$sums" "$here/SHA256SUMS"
    echo "golden: wrote $(wc -l < "$sums") hashes to tests/golden/SHA256SUMS"
    ;;
  *)
    if diff -u "$here/SHA256SUMS" "$sums" > "$work/diff"; then
      echo "golden: all $(wc -l < "$sums") outputs as before"
    else
      echo "golden: outputs differ from tests/golden/SHA256SUMS (- before, + now):" >&2
      grep '^[-+][0-9a-f]' "$work/diff" >&2 || cat "$work/diff" >&2
      echo "Run with --keep against the old and the new build and diff the two folders to see how." >&2
      exit 1
    fi
    ;;
esac
