package org.attenuator.plugin.learning;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.attenuator.plugin.learning.ProfileRules.Verdict;

/**
 * What changed from profile {@code a} to profile {@code b}: syscalls (with their argument values)
 * only {@code b} has, those only {@code a} has, and those whose action or init-only mark changed.
 *
 * @since 1.2.0
 */
public record ProfileDiff(Optional<String> defaultAction, List<String> added, List<String> removed,
        List<String> changed) {

    public ProfileDiff {
        added = List.copyOf(added);
        removed = List.copyOf(removed);
        changed = List.copyOf(changed);
    }

    public static ProfileDiff between(ProfileRules a, ProfileRules b) {
        List<String> added = new ArrayList<>();
        List<String> removed = new ArrayList<>();
        List<String> changed = new ArrayList<>();
        for (Map.Entry<LearnedSyscall, Verdict> e : a.syscalls().entrySet()) {
            Verdict other = b.syscalls().get(e.getKey());
            if (other == null) {
                removed.add(describe(e.getKey(), e.getValue()));
            } else if (!other.sameAction(e.getValue())) {
                changed.add(e.getKey() + ": " + e.getValue().actionText() + " -> " + other.actionText());
            } else if (other.initOnly() != e.getValue().initOnly()) {
                changed.add(e.getKey() + ": " + seen(e.getValue()) + " -> " + seen(other));
            }
        }
        b.syscalls().forEach((s, v) -> {
            if (!a.syscalls().containsKey(s)) {
                added.add(describe(s, v));
            }
        });
        Optional<String> defaultAction = a.defaultAction().sameAction(b.defaultAction()) ? Optional.empty()
                : Optional.of(a.defaultAction().actionText() + " -> " + b.defaultAction().actionText());
        return new ProfileDiff(defaultAction, added, removed, changed);
    }

    public boolean same() {
        return defaultAction.isEmpty() && added.isEmpty() && removed.isEmpty() && changed.isEmpty();
    }

    /**
     * One line per difference, as {@code profile diff} prints them: {@code - REMOVED},
     * {@code + ADDED}, {@code ~ CHANGED}, the default action first.
     */
    public List<String> lines() {
        List<String> lines = new ArrayList<>();
        defaultAction.ifPresent(d -> lines.add("~ default action: " + d));
        removed.forEach(s -> lines.add("- " + s));
        added.forEach(s -> lines.add("+ " + s));
        changed.forEach(s -> lines.add("~ " + s));
        return lines;
    }

    /** {@code uname/x86_64}, {@code ptrace/x86_64 SCMP_ACT_ERRNO(1)}, {@code execve/x86_64 (init only)}. */
    static String describe(LearnedSyscall s, Verdict v) {
        return s + (v.allows() ? "" : " " + v.actionText()) + (v.initOnly() ? " (init only)" : "");
    }

    private static String seen(Verdict v) {
        return v.initOnly() ? "init only" : "seen after the apply point";
    }
}
