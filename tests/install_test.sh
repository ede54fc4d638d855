#!/bin/sh
# cmake --install into a fresh prefix: the binary runs from there, the man page
# renders, bash completion completes commands and a command's options, and the
# scenarios, sweeps and calibration programs are in place.
#   tests/install_test.sh BUILD_DIR WORK_DIR
set -eu
build=$1
prefix=$2/prefix
rm -rf "$prefix"
cmake --install "$build" --prefix "$prefix" >/dev/null
fail() { echo "install_test: $*" >&2; exit 1; }
"$prefix/bin/gilsim" --version | grep -q '^gilsim ' || fail "installed gilsim does not run"
"$prefix/bin/gilsim" run "$prefix/share/gilsim/scenarios/tutorial/first.yaml" >/dev/null \
  || fail "the installed tutorial scenario does not run"
for f in share/man/man1/gilsim.1 share/bash-completion/completions/gilsim \
         share/gilsim/scenarios/c4_convoy_effect.yaml share/gilsim/sweeps/scaling.yaml \
         share/gilsim/calibration/measure_costs.py share/gilsim/analysis/report.sh \
         share/gilsim/analysis/plots/style.gp share/doc/gilsim/LICENSE \
         share/doc/gilsim/docs/model.md share/gilsim/validation/vlib.py \
         share/gilsim/validation/countdown.yaml share/gilsim/validation/calibrate.py; do
  [ -s "$prefix/$f" ] || fail "missing $f"
done
# validate finds its twins in the installed share/gilsim/validation (the
# recorded measurements replayed: no Python runs).
src=$(dirname "$0")/..
code=0
"$prefix/bin/gilsim" validate --profile "$prefix/share/gilsim/profiles/reference.yaml" \
  --replay "$src/tests/validation/validate_recorded.jsonl" >"$2/validate.txt" 2>&1 || code=$?
[ $code -le 1 ] || fail "the installed gilsim validate failed: $(cat "$2/validate.txt")"
grep -q "and twins from $prefix/share/gilsim/validation" "$2/validate.txt" \
  || fail "the installed gilsim validate does not take the installed twins"
if command -v groff >/dev/null; then
  groff -man -Tutf8 -ww -z "$prefix/share/man/man1/gilsim.1" 2>&1 | grep . && fail "man page warnings"
fi
# Completion: commands, then options read from the installed binary's help.
complete_words() {
  bash -c '. "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _gilsim; echo "${COMPREPLY[@]}"' \
    _ "$prefix/share/bash-completion/completions/gilsim" "$@"
}
[ "$(complete_words "$prefix/bin/gilsim" ru)" = run ] || fail "completion of 'ru'"
complete_words "$prefix/bin/gilsim" run --tr | grep -qw -- --trace || fail "completion of 'run --tr'"
[ "$(complete_words "$prefix/bin/gilsim" vali)" = validate ] || fail "completion of 'vali'"
complete_words "$prefix/bin/gilsim" validate --rep | grep -qw -- --repeat || fail "completion of 'validate --rep'"
complete_words "$prefix/bin/gilsim" calibrate --ro | grep -qw -- --rounds || fail "completion of 'calibrate --ro'"
echo "install_test: ok"
