package org.attenuator.cli.internal;

import java.util.List;
import org.attenuator.core.TargetCapabilities;

/**
 * {@code run --unshare pid}: the target gets a pid namespace of its own, with a reaper as pid 1
 * (like {@code docker run --init}), so it cannot see or signal the supervisor, the fork server or
 * the keeper. Making the namespace needs CAP_SYS_ADMIN, checked here so that the refusal is a
 * usage error before anything runs.
 */
final class NamespaceOptions {

    static final String UNSHARE = "--unshare";
    static final Option OPTION = Option.value(UNSHARE, "pid", "Give the program a pid namespace of its own, with a "
            + "reaper as pid 1, so it cannot see or signal the supervisor (needs CAP_SYS_ADMIN).").choices("pid");
    private static final String PID = "pid";

    private NamespaceOptions() {
    }

    /** Whether the target gets its own pid namespace; exit 2 for another namespace or without CAP_SYS_ADMIN. */
    static boolean ownPidNamespace(Arguments args) throws CommandException {
        List<String> values = args.options(UNSHARE);
        for (String value : values) {
            if (!value.equals(PID)) {
                throw CommandException.badInput(UNSHARE + " " + value + ": unknown namespace (only " + PID + ")");
            }
        }
        if (!values.isEmpty() && !TargetCapabilities.caller().contains("CAP_SYS_ADMIN")) {
            throw CommandException.badInput(UNSHARE + " " + PID + " needs CAP_SYS_ADMIN (run as root)");
        }
        return !values.isEmpty();
    }
}
