package org.attenuator.cli.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.attenuator.core.TargetCapabilities;
import org.attenuator.profile.Capabilities;

/**
 * The capabilities a target keeps and its profile is evaluated with, as {@code run} and
 * {@code explain} take them (Docker's options): Docker's default set unless {@code --cap-add
 * CAP,..} / {@code --cap-drop CAP,..} change it, or {@code --privileged} keeps all; never more
 * than this process has.
 */
final class CapabilityOptions {

    static final String CAP_ADD = "--cap-add", CAP_DROP = "--cap-drop", PRIVILEGED = "--privileged";
    /** The three options, for a command's {@link CommandSpec}. */
    static final List<Option> OPTIONS = List.of(
            Option.value(CAP_ADD, "CAP,..", "Add capabilities to Docker's default set (Docker's names: SYS_ADMIN or "
                    + "CAP_SYS_ADMIN, or ALL); repeatable."),
            Option.value(CAP_DROP, "CAP,..", "Remove capabilities from the set (ALL drops every one); repeatable."),
            Option.flag(PRIVILEGED, "Keep every capability of this process, and evaluate the profile with them."));
    static final String PRIVILEGED_WARNING = "attenuator: warning: --privileged: the target keeps every capability "
            + "of this process, and the profile's capability rules are evaluated with them";

    private CapabilityOptions() {
    }

    /** The capabilities the target keeps; empty with {@code --privileged} (all of this process's). */
    static Optional<Set<String>> kept(Arguments args) throws CommandException {
        List<String> adds = names(args, CAP_ADD);
        List<String> drops = names(args, CAP_DROP);
        if (args.flag(PRIVILEGED)) {
            if (!adds.isEmpty() || !drops.isEmpty()) {
                throw CommandException.badInput(PRIVILEGED + " keeps every capability: not with " + CAP_ADD
                        + " or " + CAP_DROP);
            }
            return Optional.empty();
        }
        return Optional.of(TargetCapabilities.of(Capabilities.tweak(Capabilities.DOCKER_DEFAULT, adds, drops)));
    }

    /** What the profile is evaluated with: {@link #kept}, or this process's capabilities when privileged. */
    static Set<String> evaluated(Optional<Set<String>> kept) {
        return kept.orElseGet(TargetCapabilities::caller);
    }

    static boolean given(Arguments args) {
        return args.flag(PRIVILEGED) || !args.options(CAP_ADD).isEmpty() || !args.options(CAP_DROP).isEmpty();
    }

    private static List<String> names(Arguments args, String option) throws CommandException {
        List<String> names = new ArrayList<>();
        for (String list : args.options(option)) {
            for (String name : list.split(",", -1)) {
                if (name.isBlank()) {
                    throw CommandException.badInput(option + ": empty capability name in '" + list + "'");
                }
                names.add(name.strip());
            }
        }
        try {
            Capabilities.tweak(Set.of(), names, List.of()); // checks every name
        } catch (IllegalArgumentException e) {
            throw CommandException.badInput(option + ": " + e.getMessage()
                    + " (Docker's names, e.g. SYS_ADMIN or CAP_NET_ADMIN, or ALL)");
        }
        return names;
    }
}
