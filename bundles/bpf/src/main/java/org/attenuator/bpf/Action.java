package org.attenuator.bpf;

import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;

/**
 * What a seccomp filter returns for a system call: a kind and, for ERRNO, TRAP and TRACE, 16
 * bits of data (the errno, or the value the tracer sees).
 */
public record Action(Kind kind, int data) {

    /** The kernel's actions, most restrictive first (the order the kernel resolves stacked filters by). */
    public enum Kind {
        KILL_PROCESS(0x80000000, "SCMP_ACT_KILL_PROCESS"),
        KILL_THREAD(0x00000000, "SCMP_ACT_KILL_THREAD"),
        TRAP(0x00030000, "SCMP_ACT_TRAP"),
        ERRNO(0x00050000, "SCMP_ACT_ERRNO"),
        USER_NOTIF(0x7fc00000, "SCMP_ACT_NOTIFY"),
        TRACE(0x7ff00000, "SCMP_ACT_TRACE"),
        LOG(0x7ffc0000, "SCMP_ACT_LOG"),
        ALLOW(0x7fff0000, "SCMP_ACT_ALLOW");

        private final int code;
        private final String scmpName;

        Kind(int code, String scmpName) {
            this.code = code;
            this.scmpName = scmpName;
        }

        /** SECCOMP_RET_* (the action bits of the return value). */
        public int code() {
            return code;
        }

        /** The libseccomp / OCI name; {@code SCMP_ACT_KILL} is accepted as an alias of KILL_THREAD. */
        public String scmpName() {
            return scmpName;
        }

        public boolean takesData() {
            return this == ERRNO || this == TRAP || this == TRACE;
        }

        public static Optional<Kind> fromScmpName(String name) {
            if ("SCMP_ACT_KILL".equals(name)) {
                return Optional.of(KILL_THREAD);
            }
            return Arrays.stream(values()).filter(k -> k.scmpName.equals(name)).findFirst();
        }
    }

    private static final int RET_ACTION_FULL = 0xffff0000;
    private static final int RET_DATA = 0x0000ffff;

    public static final Action KILL_PROCESS = new Action(Kind.KILL_PROCESS, 0);
    public static final Action KILL_THREAD = new Action(Kind.KILL_THREAD, 0);
    public static final Action USER_NOTIF = new Action(Kind.USER_NOTIF, 0);
    public static final Action LOG = new Action(Kind.LOG, 0);
    public static final Action ALLOW = new Action(Kind.ALLOW, 0);

    public Action {
        Objects.requireNonNull(kind, "kind");
        if (data < 0 || data > RET_DATA || (data != 0 && !kind.takesData())) {
            throw new IllegalArgumentException(kind + " cannot carry data " + data);
        }
    }

    public static Action errno(int errno) {
        return new Action(Kind.ERRNO, errno);
    }

    public static Action trap(int data) {
        return new Action(Kind.TRAP, data);
    }

    public static Action trace(int data) {
        return new Action(Kind.TRACE, data);
    }

    /** The 32-bit value a filter returns for this action. */
    public int returnValue() {
        return kind.code | data;
    }

    /** Decodes a filter's return value; unknown action bits decode as KILL_PROCESS, as in the kernel. */
    public static Action fromReturnValue(int value) {
        int action = value & RET_ACTION_FULL;
        for (Kind kind : Kind.values()) {
            if (kind.code == action) {
                return new Action(kind, kind.takesData() ? value & RET_DATA : 0);
            }
        }
        return KILL_PROCESS;
    }

    /**
     * The kernel's order between actions (kernel/seccomp.c compares the action bits as signed
     * numbers); data does not take part, so two ERRNOs are equally restrictive.
     */
    public boolean isMoreRestrictiveThan(Action other) {
        return (kind.code & RET_ACTION_FULL) < (other.kind.code & RET_ACTION_FULL);
    }

    @Override
    public String toString() {
        return kind.takesData() ? kind + "(" + data + ")" : kind.toString();
    }
}
