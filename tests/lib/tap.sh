# shellcheck shell=bash disable=SC2034 # sourced; PASSED and FAILED are read by its users
# tests/lib/tap.sh: the TAP-style lines the shell tests print, and their
# closing count.  Sourced, not run:  . "$ROOT/tests/lib/tap.sh"
#
#   pass WHAT               ok - WHAT
#   fail WHAT [DETAIL...]   not ok - WHAT, each DETAIL line after "#   "
#   skip WHAT               skip - WHAT
#   note TEXT...            # TEXT
#   tap_end                 "N passed, M failed"; status 0 when none failed

PASSED=0
FAILED=0
pass() {
  PASSED=$((PASSED + 1))
  printf 'ok - %s\n' "$1"
}
fail() {
  FAILED=$((FAILED + 1))
  printf 'not ok - %s\n' "$1"
  shift
  local d
  for d in "$@"; do
    [ -n "$d" ] && printf '%s\n' "$d" | sed 's/^/#   /'
  done
}
skip() { printf 'skip - %s\n' "$1"; }
note() { printf '# %s\n' "$*"; }
tap_end() {
  echo "$PASSED passed, $FAILED failed"
  [ "$FAILED" -eq 0 ]
}
