package org.attenuator.api;

import java.util.Objects;

/**
 * What a handler answers for one notification. Immutable; obtain one from the static factories.
 *
 * <ul>
 * <li>{@link #pass()}: no opinion, the next handler decides;</li>
 * <li>{@link #allow()}: the kernel runs the syscall as the target asked (USER_NOTIF_FLAG_CONTINUE);</li>
 * <li>{@link #deny(int)}: the syscall fails with that errno, without running;</li>
 * <li>{@link #respond(long)}: the syscall returns that value, without running;</li>
 * <li>{@link #kill()}: the calling process is killed.</li>
 * </ul>
 *
 * <p>An allow decision must never rest on memory the target can change (pointer contents): read
 * pointer arguments to log or to deny, decide allow on register values only.
 */
public final class Decision {

    /** The kinds of decision, in the order of strictness the kernel uses (least strict first). */
    public enum Kind { PASS, ALLOW, RESPOND, DENY, KILL }

    private static final Decision PASS = new Decision(Kind.PASS, 0);
    private static final Decision ALLOW = new Decision(Kind.ALLOW, 0);
    private static final Decision KILL = new Decision(Kind.KILL, 0);

    private final Kind kind;
    private final long value;

    private Decision(Kind kind, long value) {
        this.kind = kind;
        this.value = value;
    }

    /** No opinion: the next handler in the chain decides; after the last, the tree's undecided action. */
    public static Decision pass() {
        return PASS;
    }

    /** Let the kernel run the syscall as asked. */
    public static Decision allow() {
        return ALLOW;
    }

    /**
     * Fail the syscall with {@code errno}.
     *
     * @param errno a positive errno number, for example 1 for EPERM
     * @throws IllegalArgumentException if {@code errno} is not in 1..4095
     */
    public static Decision deny(int errno) {
        if (errno < 1 || errno > 4095) {
            throw new IllegalArgumentException("errno must be in 1..4095, got " + errno);
        }
        return new Decision(Kind.DENY, errno);
    }

    /** Return {@code value} from the syscall without running it. */
    public static Decision respond(long value) {
        return new Decision(Kind.RESPOND, value);
    }

    /** Kill the calling process. */
    public static Decision kill() {
        return KILL;
    }

    public Kind kind() {
        return kind;
    }

    /** The errno of a {@link Kind#DENY} decision. */
    public int errno() {
        if (kind != Kind.DENY) {
            throw new IllegalStateException("not a deny decision: " + this);
        }
        return (int) value;
    }

    /** The return value of a {@link Kind#RESPOND} decision. */
    public long value() {
        if (kind != Kind.RESPOND) {
            throw new IllegalStateException("not a respond decision: " + this);
        }
        return value;
    }

    public boolean isPass() {
        return kind == Kind.PASS;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Decision d && d.kind == kind && d.value == value;
    }

    @Override
    public int hashCode() {
        return Objects.hash(kind, value);
    }

    /** {@code pass}, {@code allow}, {@code deny(1)}, {@code respond(0)} or {@code kill}. */
    @Override
    public String toString() {
        return switch (kind) {
            case PASS -> "pass";
            case ALLOW -> "allow";
            case KILL -> "kill";
            case DENY -> "deny(" + value + ")";
            case RESPOND -> "respond(" + value + ")";
        };
    }
}
