package org.attenuator.core.internal.supervisor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.attenuator.api.Decision;
import org.attenuator.api.SyscallEvent;
import org.attenuator.api.SyscallObserver;
import org.attenuator.core.test.Harness;
import org.attenuator.core.test.NativePrograms;
import org.attenuator.testsupport.Waits;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An observer hears of the answered calls whose decision kinds it asked for, and of no others; one
 * that asks for nothing in particular hears of every call, as before.
 */
class ObserverKindsTest {

    private static final int GETPPID = NativePrograms.nr("getppid");
    private static final int CALLS = 300;

    @TempDir
    Path dir;

    /** Counts the answered calls it hears of, by decision kind. */
    private static class Tally implements SyscallObserver {
        final Map<Decision.Kind, LongAdder> seen = new ConcurrentHashMap<>();

        @Override
        public void answered(SyscallEvent event, Decision decision, String decidedBy) {
            seen.computeIfAbsent(decision.kind(), k -> new LongAdder()).increment();
        }

        long count(Decision.Kind kind) {
            LongAdder n = seen.get(kind);
            return n == null ? 0 : n.sum();
        }
    }

    @Test
    void anObserverOfDenialsHearsOfNoAllowedCall() throws Exception {
        Tally everything = new Tally();
        Tally denials = new Tally() {
            @Override
            public Set<Decision.Kind> answeredKinds() {
                return EnumSet.of(Decision.Kind.DENY);
            }
        };
        AtomicInteger asked = new AtomicInteger();
        try (Harness harness = new Harness(dir)) {
            harness.supervisor.addObserver(everything);
            harness.supervisor.addObserver(denials);
            harness.addHandler((e, c) -> asked.incrementAndGet() % 3 == 0 ? Decision.deny(1) : Decision.allow(), 0, Map.of());
            Process target = harness.target("", List.of("getppid"), Harness.probe("loop", CALLS, GETPPID));
            Harness.output(target, Duration.ofSeconds(60));
            Waits.until(() -> everything.count(Decision.Kind.ALLOW) + everything.count(Decision.Kind.DENY) == CALLS,
                    Duration.ofSeconds(20), () -> "the observer of everything saw " + everything.seen);
            assertEquals(CALLS / 3, everything.count(Decision.Kind.DENY));
            Waits.until(() -> denials.count(Decision.Kind.DENY) == CALLS / 3, Duration.ofSeconds(20),
                    () -> "the observer of denials saw " + denials.seen);
            assertEquals(Set.of(Decision.Kind.DENY), denials.seen.keySet(), "only the kinds it asked for");
        }
    }
}
