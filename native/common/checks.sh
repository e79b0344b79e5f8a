# The PASS/FAIL lines of the native test scripts, sourced by them after they set SUITE (the name
# each line starts with). expect NAME EXPECTED-STATUS STATUS OUTPUT PATTERN...: the status is the
# one expected and each pattern is a whole line of the output; absent NAME OUTPUT PATTERN: no line
# matches; summary: the count, and the script's status.
fails=0; passes=0
pass() { echo "$SUITE: PASS $1"; passes=$((passes + 1)); }
fail() { echo "$SUITE: FAIL $1"; fails=$((fails + 1)); }
expect() {
    name=$1 want=$2 got=$3 out=$4; shift 4
    if [ "$want" != "$got" ]; then fail "$name: status $got, expected $want; output: $out"; return; fi
    for p in "$@"; do
        if ! printf '%s\n' "$out" | grep -qx -- "$p"; then fail "$name: no line '$p' in: $out"; return; fi
    done
    pass "$name"
}
absent() {
    if printf '%s\n' "$2" | grep -q -- "$3"; then fail "$1: unexpected '$3' in: $2"; else pass "$1"; fi
}
summary() {
    echo "$SUITE: $passes passed, $fails failed"
    [ "$fails" -eq 0 ]
}
