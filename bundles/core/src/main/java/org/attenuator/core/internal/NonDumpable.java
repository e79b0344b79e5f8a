package org.attenuator.core.internal;

import org.attenuator.linux.Dumpable;
import org.attenuator.linux.NativeException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes the JVM non-dumpable as soon as it supervises or launches anything: a target runs with
 * the supervisor's uid, and a dumpable supervisor could be ptraced, have its /proc/PID/mem
 * written or its listener fds taken with pidfd_getfd by it (DESIGN.md, the launch's threat model).
 * Called by the launcher and the supervisor when they start, in every distribution (standalone
 * command line, agent, Karaf).
 */
public final class NonDumpable {

    private static final Logger LOG = LoggerFactory.getLogger(NonDumpable.class);

    private NonDumpable() {
    }

    public static void ensure() {
        try {
            Dumpable.disable();
        } catch (NativeException | LinkageError e) {
            LOG.warn("cannot make this process non-dumpable ({}): a launched target of the same uid may ptrace it",
                    e.getMessage());
        }
    }
}
