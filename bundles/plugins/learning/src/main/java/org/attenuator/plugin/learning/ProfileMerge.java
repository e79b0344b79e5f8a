package org.attenuator.plugin.learning;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.attenuator.api.HandlerContext.Phase;
import org.attenuator.plugin.learning.ProfileRules.Verdict;

/**
 * Two profiles combined, as {@code spoc merge} combines them: the union of their syscalls and
 * argument values, learned phases joined. Where both give the same syscall (or the default)
 * different actions, the stricter one wins, in the kernel's order (kill, trap, errno, notify,
 * trace, log, allow), and the conflict is reported: a merge never allows what one side denies.
 * Between two errno actions with different numbers, {@code a}'s is kept.
 *
 * @param merged the combined profile
 * @param conflicts one line per conflict and how it was resolved
 * @since 1.2.0
 */
public record ProfileMerge(ProfileRules merged, List<String> conflicts) {

    /** Strictest first; SCMP_ACT_KILL is SCMP_ACT_KILL_THREAD. */
    private static final List<List<String>> STRICTNESS = List.of(List.of("SCMP_ACT_KILL_PROCESS"),
            List.of("SCMP_ACT_KILL_THREAD", "SCMP_ACT_KILL"), List.of("SCMP_ACT_TRAP"), List.of("SCMP_ACT_ERRNO"),
            List.of("SCMP_ACT_NOTIFY"), List.of("SCMP_ACT_TRACE"), List.of("SCMP_ACT_LOG"), List.of(Verdict.ALLOW));

    public ProfileMerge {
        conflicts = List.copyOf(conflicts);
    }

    public static ProfileMerge of(ProfileRules a, ProfileRules b) {
        List<String> conflicts = new ArrayList<>();
        Verdict defaultAction = resolve("default action", a.defaultAction(), b.defaultAction(), a, b, conflicts);
        Map<LearnedSyscall, Verdict> syscalls = new TreeMap<>(a.syscalls());
        b.syscalls().forEach((s, v) -> {
            Verdict mine = syscalls.get(s);
            syscalls.put(s, mine == null ? v : resolve(s.toString(), mine, v, a, b, conflicts));
        });
        List<String> arches = new ArrayList<>(a.architectures());
        arches.addAll(b.architectures());
        return new ProfileMerge(new ProfileRules(a.source() + " + " + b.source(), defaultAction, arches, syscalls),
                conflicts);
    }

    private static Verdict resolve(String what, Verdict x, Verdict y, ProfileRules a, ProfileRules b,
            List<String> conflicts) {
        if (x.sameAction(y)) {
            EnumSet<Phase> phases = EnumSet.noneOf(Phase.class);
            phases.addAll(x.phases());
            phases.addAll(y.phases());
            return new Verdict(x.action(), x.errnoRet(), phases);
        }
        Verdict kept = rank(y) < rank(x) ? y : x;
        conflicts.add(what + ": " + x.actionText() + " in " + a.source() + ", " + y.actionText() + " in "
                + b.source() + ": keeping " + kept.actionText() + (rank(x) == rank(y) ? " (the first's)" : " (the stricter)"));
        return kept;
    }

    /** 0 for the strictest; an action this list does not know counts as the strictest. */
    private static int rank(Verdict v) {
        for (int i = 0; i < STRICTNESS.size(); i++) {
            if (STRICTNESS.get(i).contains(v.action())) {
                return i;
            }
        }
        return 0;
    }
}
