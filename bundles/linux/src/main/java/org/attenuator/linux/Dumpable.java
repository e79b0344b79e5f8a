package org.attenuator.linux;

import static org.attenuator.linux.internal.Native.LIBC;
import static org.attenuator.linux.internal.Native.errno;

/**
 * The process's dumpable flag (prctl PR_SET_DUMPABLE). A process that is not dumpable cannot be
 * ptraced, have its /proc/PID/mem opened or its fds taken with pidfd_getfd by a process of the
 * same uid that lacks CAP_SYS_PTRACE: what keeps a launched target away from its supervisor.
 *
 * @since 0.3.0
 */
public final class Dumpable {

    static final int PR_GET_DUMPABLE = 3, PR_SET_DUMPABLE = 4;

    private Dumpable() {
    }

    /** Makes this whole process non-dumpable (the flag belongs to the process, not the thread). */
    public static void disable() throws NativeException {
        if (LIBC.prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) != 0) {
            throw new NativeException("prctl(PR_SET_DUMPABLE, 0)", errno());
        }
    }

    /** Whether this process is dumpable. */
    public static boolean isDumpable() throws NativeException {
        int rc = LIBC.prctl(PR_GET_DUMPABLE, 0, 0, 0, 0);
        if (rc < 0) {
            throw new NativeException("prctl(PR_GET_DUMPABLE)", errno());
        }
        return rc != 0;
    }
}
