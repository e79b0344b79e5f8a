package org.attenuator.testkit;

import java.util.Arrays;
import org.attenuator.api.ArgumentReader;
import org.attenuator.api.SupervisedTree;
import org.attenuator.api.Syscall;
import org.attenuator.api.SyscallEvent;

/**
 * A notified syscall as the supervisor hands it to a handler or an observer, made by hand: the
 * call's six argument registers and the target's memory ({@link TargetMemory}) that pointer
 * arguments lead into. Immutable; the {@code with...} methods return a changed copy.
 */
public record FakeEvent(long id, SupervisedTree tree, long pid, Syscall syscall, long[] args, long instructionPointer,
        ArgumentReader reader) implements SyscallEvent {

    /** The architecture of the events {@link #of} makes. */
    public static final String X86_64 = "x86_64";

    public FakeEvent {
        if (args.length > 6) {
            throw new IllegalArgumentException("a syscall has at most 6 arguments, got " + args.length);
        }
        args = Arrays.copyOf(args, 6);
    }

    /**
     * The x86_64 syscall {@code name} (number {@code number}) with {@code args} (the rest zero),
     * called by the tree's root process, reading an empty memory (every pointer is bad).
     */
    public static FakeEvent of(SupervisedTree tree, String name, int number, long... args) {
        return new FakeEvent(1, tree, tree.pid(), new Syscall(name, number, X86_64), args, 0, new TargetMemory());
    }

    /** The same call, made by the process {@code pid} of the tree. */
    public FakeEvent withPid(long pid) {
        return new FakeEvent(id, tree, pid, syscall, args, instructionPointer, reader);
    }

    /** The same call, its pointers leading into {@code memory}. */
    public FakeEvent withReader(ArgumentReader memory) {
        return new FakeEvent(id, tree, pid, syscall, args, instructionPointer, memory);
    }

    /** The same call under another notification id (the kernel's cookie). */
    public FakeEvent withId(long notificationId) {
        return new FakeEvent(notificationId, tree, pid, syscall, args, instructionPointer, reader);
    }

    @Override
    public long arg(int index) {
        return args[index];
    }

    @Override
    public long[] args() {
        return args.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FakeEvent e && e.id == id && e.tree.equals(tree) && e.pid == pid
                && e.syscall.equals(syscall) && Arrays.equals(e.args, args)
                && e.instructionPointer == instructionPointer
                && e.reader == reader;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(id) * 31 + Arrays.hashCode(args);
    }

    @Override
    public String toString() {
        return syscall + Arrays.toString(args) + " by " + pid + " of tree " + tree.id();
    }
}
