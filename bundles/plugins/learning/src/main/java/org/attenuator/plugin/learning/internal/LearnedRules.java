package org.attenuator.plugin.learning.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.attenuator.api.HandlerContext.Phase;
import org.attenuator.bpf.Action;
import org.attenuator.bpf.Arch;
import org.attenuator.bpf.Condition;
import org.attenuator.bpf.Op;
import org.attenuator.bpf.Rule;
import org.attenuator.bpf.SyscallTable;
import org.attenuator.plugin.learning.ArgMatch;
import org.attenuator.plugin.learning.LearnedProfile;
import org.attenuator.plugin.learning.LearnedSyscall;

/**
 * What a repeat learning run lets the kernel allow: every learned syscall as an ALLOW rule on its
 * own ABI, with its argument conditions, so only calls the key has not learned yet are notified.
 *
 * <p>A rule is made only where the kernel allows exactly the calls that learning would record as
 * that learned syscall again, so the run learns what a run notifying everything would:
 * <ul>
 * <li>not for init-only syscalls: a sighting after the apply point must still be recorded;</li>
 * <li>not for entries learning would not record in that form ({@link ArgRecorder#recordsAs}), such
 *     as a {@code socket} entry without conditions from an imported profile;</li>
 * <li>not for conditions a filter compares on low words only (x32, or a value wider than an i386
 *     register), where the kernel would allow values learning tells apart.</li>
 * </ul>
 */
public final class LearnedRules {

    static final String ORIGIN = "attenuator.learning.learned";

    private LearnedRules() {
    }

    /** The ALLOW rules for {@code learned}, for those of {@code arches} it was learned on. */
    public static List<Rule> of(LearnedProfile learned, List<Arch> arches) {
        List<Rule> rules = new ArrayList<>();
        for (Map.Entry<LearnedSyscall, Set<Phase>> e : learned.syscalls().entrySet()) {
            LearnedSyscall s = e.getKey();
            Optional<Arch> arch = Arch.parse(s.arch());
            if (!e.getValue().contains(Phase.RUN) || arch.isEmpty() || !arches.contains(arch.get())
                    || SyscallTable.of(arch.get()).number(s.name()).isEmpty()
                    || !ArgRecorder.recordsAs(s) || !comparedInFull(arch.get(), s.args())) {
                continue;
            }
            rules.add(new Rule(s.name(), Action.ALLOW, s.args().stream().map(LearnedRules::condition).toList(),
                    ORIGIN, Set.of(arch.get())));
        }
        return rules;
    }

    private static boolean comparedInFull(Arch arch, List<ArgMatch> args) {
        if (args.isEmpty() || !arch.comparesLowWordOnly()) {
            return true;
        }
        return arch.hasRegisters32()
                && args.stream().allMatch(a -> (a.value() >>> 32) == 0 && (a.valueTwo() >>> 32) == 0);
    }

    private static Condition condition(ArgMatch m) {
        return ArgMatch.EQ.equals(m.op()) ? new Condition(m.index(), Op.EQ, m.value())
                : new Condition(m.index(), Op.MASKED_EQ, m.value(), m.valueTwo());
    }
}
