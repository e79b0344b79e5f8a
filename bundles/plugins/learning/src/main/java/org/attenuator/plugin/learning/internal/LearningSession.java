package org.attenuator.plugin.learning.internal;

import java.util.EnumSet;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import org.attenuator.api.HandlerContext.Phase;
import org.attenuator.api.SupervisedTree;
import org.attenuator.plugin.learning.LearnedSyscall;
import org.attenuator.plugin.learning.LearningTemplate;

/**
 * What one tree's learning run has seen. {@link #record} is the hot path: one map lookup, and an
 * insert only the first time a syscall (with its recorded values) or phase is seen. Everything else
 * runs on the learning thread.
 */
final class LearningSession {

    private static final int INIT = 1;
    private static final int RUN = 2;

    final SupervisedTree tree;
    private final ConcurrentHashMap<LearnedSyscall, Integer> seen = new ConcurrentHashMap<>();
    /**
     * What the tree's filter allows without notifying ({@code learn.base} from {@code run --learn}, or
     * the listener metadata line {@code learn.base=} of a container template), added for every ABI the
     * run uses.
     */
    private final java.util.List<String> base;
    private final Set<String> abis = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean dirty = new AtomicBoolean();
    /** Calls the handler saw: a LongAdder, so the many supervisor threads do not contend on one counter. */
    final LongAdder notified = new LongAdder();

    // learning thread only
    String key;
    Set<LearnedSyscall> known = Set.of();
    boolean changedEarlier;
    boolean failed;

    LearningSession(SupervisedTree tree) {
        this.tree = tree;
        Object declared = tree.properties().get(org.attenuator.plugin.learning.Learning.BASE_PROPERTY);
        if (declared == null) {
            declared = tree.properties().get(SupervisedTree.METADATA_PREFIX + LearningTemplate.BASE_METADATA);
        }
        this.base = declared == null ? java.util.List.of()
                : java.util.Arrays.stream(String.valueOf(declared).split(",")).map(String::strip)
                        .filter(n -> !n.isEmpty()).toList();
    }

    /** Records a sighting; true when the syscall is new to this run (the caller announces it, off the hot path). */
    boolean record(LearnedSyscall syscall, Phase phase) {
        int bit = phase == Phase.INIT ? INIT : RUN;
        Integer bits = seen.get(syscall);
        if (bits == null) {
            bits = seen.putIfAbsent(syscall, bit);
            if (bits == null) {
                if (!base.isEmpty() && abis.add(syscall.arch())) {
                    for (String name : base) {
                        seen.merge(new LearnedSyscall(syscall.arch(), name), INIT | RUN, (a, b) -> a | b);
                    }
                }
                dirty.set(true);
                return true;
            }
        }
        if ((bits & bit) == 0) {
            seen.merge(syscall, bit, (a, b) -> a | b);
            dirty.set(true);
        }
        return false;
    }

    /** True once when something was recorded since the last call. */
    boolean takeDirty() {
        return dirty.getAndSet(false);
    }

    void markDirty() {
        dirty.set(true);
    }

    /** A copy of everything seen so far, with phases. */
    Map<LearnedSyscall, Set<Phase>> snapshot() {
        Map<LearnedSyscall, Set<Phase>> copy = new HashMap<>();
        seen.forEach((s, bits) -> {
            EnumSet<Phase> phases = EnumSet.noneOf(Phase.class);
            if ((bits & INIT) != 0) {
                phases.add(Phase.INIT);
            }
            if ((bits & RUN) != 0) {
                phases.add(Phase.RUN);
            }
            copy.put(s, phases);
        });
        return copy;
    }

    int size() {
        return seen.size();
    }
}
