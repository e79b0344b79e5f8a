package org.attenuator.plugin.learning.internal;

import java.util.List;
import java.util.function.IntToLongFunction;
import org.attenuator.plugin.learning.ArgMatch;
import org.attenuator.plugin.learning.LearnedSyscall;

/**
 * Which register arguments learning records, and how the learned profile matches them. Register
 * values only, never pointer contents (a CONTINUE must never rest on memory the target can change).
 *
 * <table>
 * <caption>recorded arguments</caption>
 * <tr><th>syscall</th><th>argument</th><th>rule</th></tr>
 * <tr><td>socket</td><td>0 domain; 1 type</td><td>domain EQ; type MASKED_EQ 0xf (SOCK_TYPE_MASK, so
 *     SOCK_NONBLOCK and SOCK_CLOEXEC are free)</td></tr>
 * <tr><td>ioctl</td><td>1 request</td><td>EQ</td></tr>
 * <tr><td>prctl</td><td>0 option</td><td>EQ</td></tr>
 * <tr><td>clone</td><td>0 flags</td><td>MASKED_EQ 0x7e020000 (the CLONE_NEW* bits; 0x80 is the exit
 *     signal's byte here), as Docker's default profile does</td></tr>
 * <tr><td>unshare</td><td>0 flags</td><td>MASKED_EQ 0x7e020080 (CLONE_NEW* including CLONE_NEWTIME)</td></tr>
 * <tr><td>fcntl, fcntl64</td><td>1 cmd</td><td>EQ</td></tr>
 * <tr><td>personality</td><td>0 persona</td><td>EQ</td></tr>
 * </table>
 */
final class ArgRecorder {

    static final long SOCK_TYPE_MASK = 0xf;
    /** CLONE_NEWNS | CLONE_NEWCGROUP | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWUSER | CLONE_NEWPID | CLONE_NEWNET. */
    static final long CLONE_NAMESPACES = 0x7e020000L;
    static final long CLONE_NEWTIME = 0x80L;

    private ArgRecorder() {
    }

    /**
     * The conditions to learn for a call of {@code name} whose register argument {@code i} is
     * {@code arg.applyAsLong(i)}; empty for syscalls whose arguments are not recorded.
     */
    static List<ArgMatch> args(String name, IntToLongFunction arg) {
        return switch (name) {
            case "socket" -> List.of(ArgMatch.eq(0, arg.applyAsLong(0)),
                    ArgMatch.maskedEq(1, SOCK_TYPE_MASK, arg.applyAsLong(1)));
            case "ioctl" -> List.of(ArgMatch.eq(1, arg.applyAsLong(1)));
            case "prctl", "personality" -> List.of(ArgMatch.eq(0, arg.applyAsLong(0)));
            case "clone" -> List.of(ArgMatch.maskedEq(0, CLONE_NAMESPACES, arg.applyAsLong(0)));
            case "unshare" -> List.of(ArgMatch.maskedEq(0, CLONE_NAMESPACES | CLONE_NEWTIME, arg.applyAsLong(0)));
            case "fcntl", "fcntl64" -> List.of(ArgMatch.eq(1, arg.applyAsLong(1)));
            default -> List.of();
        };
    }

    /**
     * True when {@code learned} is exactly what learning records for the calls it matches: a call
     * with the register values its conditions name records {@code learned} again. A hand-written or
     * imported entry (socket without conditions, say) is not: it matches calls that learning would
     * record as something else.
     */
    static boolean recordsAs(LearnedSyscall learned) {
        long[] values = new long[6];
        for (ArgMatch m : learned.args()) {
            values[m.index()] = ArgMatch.EQ.equals(m.op()) ? m.value() : m.valueTwo();
        }
        return args(learned.name(), i -> values[i]).equals(learned.args());
    }
}
