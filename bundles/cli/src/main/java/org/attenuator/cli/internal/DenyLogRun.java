package org.attenuator.cli.internal;

import org.attenuator.core.Launch;

/** What {@code run --deny-log} changes in a launch (docs/denylog.md). */
final class DenyLogRun {

    private DenyLogRun() {
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
