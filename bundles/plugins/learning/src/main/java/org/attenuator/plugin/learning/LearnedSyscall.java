package org.attenuator.plugin.learning;

import java.util.List;
import java.util.Objects;

/**
 * A syscall a learning run saw: its name, its ABI and the register-argument conditions recorded
 * for it (empty for syscalls whose arguments are not recorded). Two sightings with the same
 * recorded values are the same learned syscall.
 *
 * @param arch the ABI as {@link org.attenuator.api.Syscall#arch()} names it: {@code x86_64},
 *     {@code x32}, {@code i386} or {@code aarch64}
 * @param name the syscall's name
 * @param args the recorded conditions, sorted by argument index
 */
public record LearnedSyscall(String arch, String name, List<ArgMatch> args) implements Comparable<LearnedSyscall> {

    public LearnedSyscall {
        Objects.requireNonNull(arch, "arch");
        Objects.requireNonNull(name, "name");
        args = args.stream().sorted().toList();
    }

    public LearnedSyscall(String arch, String name) {
        this(arch, name, List.of());
    }

    @Override
    public int compareTo(LearnedSyscall o) {
        int c = name.compareTo(o.name);
        if (c == 0) {
            c = arch.compareTo(o.arch);
        }
        for (int i = 0; c == 0 && i < Math.min(args.size(), o.args.size()); i++) {
            c = args.get(i).compareTo(o.args.get(i));
        }
        return c != 0 ? c : Integer.compare(args.size(), o.args.size());
    }

    /** {@code openat/x86_64} or {@code socket/x86_64 [arg0 == 0x2, arg1 & 0xf == 0x1]}. */
    @Override
    public String toString() {
        return name + "/" + arch + (args.isEmpty() ? "" : " " + args);
    }
}
