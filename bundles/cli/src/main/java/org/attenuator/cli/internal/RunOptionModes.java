package org.attenuator.cli.internal;

import static org.attenuator.cli.internal.RunCommand.AGENT;
import static org.attenuator.cli.internal.RunCommand.APPLY_POINT;
import static org.attenuator.cli.internal.RunCommand.DENY_LOG;
import static org.attenuator.cli.internal.RunCommand.FALLBACK;

import java.util.List;
import org.attenuator.core.Launch;

/**
 * The {@code run} options that would have no effect in the launch's mode: each is refused in one
 * line (exit 2) instead of being dropped. The table of what every option does in every mode is in
 * docs/launch.md.
 */
final class RunOptionModes {

    private RunOptionModes() {
    }

    /**
     * With {@code --agent} the agent decides and resolves the tree's policy itself: it evaluates the
     * profile with the default capability set, and its own deny-log records the denials. What does
     * travel: the profile, {@code --apply-point} and {@code --fallback} (as metadata).
     */
    static void refuseWithAgent(Arguments a) throws CommandException {
        if (a.option(AGENT).isEmpty()) {
            return;
        }
        if (CapabilityOptions.given(a)) {
            throw CommandException.badInput(String.join(", ", List.of(CapabilityOptions.CAP_ADD,
                    CapabilityOptions.CAP_DROP, CapabilityOptions.PRIVILEGED)) + " not with " + AGENT
                    + ": the agent evaluates the profile with the default capability set");
        }
        if (a.option(DENY_LOG).isPresent()) {
            throw CommandException.badInput(DENY_LOG + " not with " + AGENT
                    + ": the agent decides, its own deny-log records the denials (attenuator agent " + DENY_LOG + ")");
        }
    }

    /**
     * A kernel-only tree (also {@code --profile learned:KEY} without {@code --apply-point}, and a
     * learned profile {@code --enforce-after} enforces) has no supervisor and no keeper after
     * start: a fallback would never be used.
     */
    static void refuseForMode(Arguments a, Launch launch) throws CommandException {
        if (launch.mode() == Launch.Mode.KERNEL_ONLY && a.option(FALLBACK).isPresent()) {
            throw CommandException.badInput(FALLBACK + " not kernel-only: nothing is notified, so nothing falls back"
                    + " (a learned profile runs supervised with " + APPLY_POINT + ")");
        }
    }
}
