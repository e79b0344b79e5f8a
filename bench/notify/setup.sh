# Sourced by through-run.sh and cpu-per-call.sh (after ROOT is set): the distribution's bin/attenuator
# (ATTENUATOR), a work directory removed at exit with ATTENUATOR_HOME in it, the target
# (loop_target), the C loop (c_loop) and the profile both run under (notify-getppid.json: notify
# getppid, undecided allow).
ATTENUATOR=${ATTENUATOR:-$ROOT/distribution/standalone/target/attenuator/bin/attenuator}
[ -x "$ATTENUATOR" ] || { echo "$(basename "$0"): no $ATTENUATOR: build the distribution first" >&2; exit 2; }
work=$(mktemp -d "${TMPDIR:-/tmp}/attenuator-notify.XXXXXX")
trap 'rm -rf "$work"' EXIT
export ATTENUATOR_HOME="$work/home"
cc -O2 -Wall -Wextra -Werror -o "$work/loop_target" "$ROOT/bench/notify/loop_target.c"
cc -O2 -Wall -Wextra -Werror -o "$work/c_loop" "$ROOT/bench/notify/c_loop.c"
cat > "$work/notify-getppid.json" <<'JSON'
{
  "defaultAction": "SCMP_ACT_ALLOW",
  "syscalls": [],
  "attenuator": {"notify": ["getppid"], "undecided": "allow"}
}
JSON
