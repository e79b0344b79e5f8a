package org.attenuator.cli.internal;

import java.io.PrintStream;
import org.attenuator.core.Launch;

/** What {@code run --deny-log} changes in a launch (docs/denylog.md). */
final class DenyLogRun {

    private DenyLogRun() {
    }

    /** The line that says where the entries go ({@code file}: the launcher's choice, or null). */
    static void announce(PrintStream err, String file) {
        err.println("attenuator: deny-log: " + (file != null ? file
                : "no file configured by the launcher; entries go to the logger attenuator.denylog"));
    }

    /**
     * A supervised tree has the profile's denials routed through the supervisor, which answers them
     * as the kernel would and logs them. With {@code --audit} (the auditing profile notifies the
     * unconditional denials already) and in a kernel-only tree, what the kernel still denies alone
     * goes to the kernel's own log (SECCOMP_FILTER_FLAG_LOG).
     */
    static Launch.Builder configure(Launch.Builder b, Launch.Mode mode, boolean audit) {
        if (mode == Launch.Mode.SUPERVISED && !audit) {
            return b.routeDenials(true);
        }
        return b.kernelLog(true);
    }
}
