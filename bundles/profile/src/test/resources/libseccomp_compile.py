"""Compiles a policy with libseccomp (optimize=2) and exports the BPF program.

usage: /usr/bin/python3 libseccomp_compile.py SPEC.json OUT.bpf
SPEC: {"defaultAction": RET, "badArchAction": RET, "arches": ["X86_64", ...],
       "rules": [{"syscall": NAME, "action": RET, "args": [[INDEX, OP, VALUE, VALUE_TWO], ...]}]}
with RET a SECCOMP_RET_* value and OP a libseccomp SCMP_CMP_* name. Rules whose action is the
default are skipped, as runc does (libseccomp refuses them).
"""
import json
import sys

import seccomp

ARCHES = {"X86_64": seccomp.Arch.X86_64, "X86": seccomp.Arch.X86, "X32": seccomp.Arch.X32,
          "AARCH64": seccomp.Arch.AARCH64}
OPS = {"SCMP_CMP_NE": seccomp.NE, "SCMP_CMP_LT": seccomp.LT, "SCMP_CMP_LE": seccomp.LE,
       "SCMP_CMP_EQ": seccomp.EQ, "SCMP_CMP_GE": seccomp.GE, "SCMP_CMP_GT": seccomp.GT,
       "SCMP_CMP_MASKED_EQ": seccomp.MASKED_EQ}


def action(ret):
    kind, data = ret & 0xFFFF0000, ret & 0xFFFF
    return {0x80000000: seccomp.KILL_PROCESS, 0x00000000: seccomp.KILL, 0x00030000: seccomp.TRAP,
            0x00050000: seccomp.ERRNO(data), 0x7FC00000: seccomp.NOTIFY, 0x7FF00000: seccomp.TRACE(data),
            0x7FFC0000: seccomp.LOG, 0x7FFF0000: seccomp.ALLOW}[kind]


def main(spec_file, out_file):
    spec = json.load(open(spec_file))
    f = seccomp.SyscallFilter(defaction=action(spec["defaultAction"]))
    for name in spec["arches"]:
        if not f.exist_arch(ARCHES[name]):
            f.add_arch(ARCHES[name])
    if "X86_64" not in spec["arches"]:
        f.remove_arch(seccomp.Arch.X86_64)
    f.set_attr(seccomp.Attr.ACT_BADARCH, action(spec["badArchAction"]))
    f.set_attr(seccomp.Attr.CTL_OPTIMIZE, 2)
    for rule in spec["rules"]:
        if rule["action"] == spec["defaultAction"]:
            continue
        args = [seccomp.Arg(i, OPS[op], v, v2) for i, op, v, v2 in rule["args"]]
        f.add_rule(action(rule["action"]), rule["syscall"], *args)
    with open(out_file, "wb") as out:
        f.export_bpf(out)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
