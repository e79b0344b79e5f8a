"""Regenerates src/main/resources/org/attenuator/bpf/internal/tables/other-arches.txt: the system
call names libseccomp knows on architectures we have no number table for (arm, mips, ppc, s390,
riscv, ...). A profile naming one of them is valid (Docker's is) and the name is skipped on our
architectures, as runc skips it; a name in no table at all is an error.

usage: /usr/bin/python3 src/main/scripts/gen-other-arch-names.py   (from bundles/bpf; needs python3-seccomp)
"""
import seccomp

OURS = {"X86_64", "X86", "X32", "AARCH64", "NATIVE"}
OUT = "src/main/resources/org/attenuator/bpf/internal/tables/other-arches.txt"

names = set()
for arch_name in dir(seccomp.Arch):
    if arch_name.isupper() and arch_name not in OURS:
        arch = getattr(seccomp.Arch, arch_name)
        for nr in list(range(0, 7000)) + list(range(0xF0000, 0xF0010)):
            try:
                names.add(seccomp.resolve_syscall(arch, nr).decode())
            except (ValueError, OSError):
                pass
with open(OUT, "w") as out:
    out.write("".join(n + "\n" for n in sorted(names)))
print(len(names), "names")
