package org.attenuator.core.internal.supervisor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import org.attenuator.api.Decision;
import org.attenuator.api.SyscallEvent;
import org.attenuator.api.SyscallObserver;
import org.attenuator.core.IntakeSettings;
import org.attenuator.core.spi.TreePolicy;
import org.attenuator.core.spi.TreeStatus;
import org.attenuator.core.test.Harness;
import org.attenuator.core.test.NativePrograms;
import org.attenuator.testsupport.Waits;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Constants;

/**
 * Targets make notified syscalls in a loop while handlers come, go and change rank and the trees'
 * policies are swapped (decisions and handler set). Every call is answered exactly once: what the targets got, value by value,
 * is exactly what the supervisor answered.
 */
class HotSwapUnderLoadTest {

    private static final int GETPPID = NativePrograms.nr("getppid");
    private static final int TARGETS = 2;
    private static final int CALLS = 20_000;

    @TempDir
    Path dir;

    @Test
    void everyCallIsAnsweredExactlyOnceWhileTheChainChanges() throws Exception {
        Map<String, LongAdder> answered = new ConcurrentHashMap<>();
        SyscallObserver tally = (SyscallEvent event, Decision decision, String decidedBy) ->
                answered.computeIfAbsent(result(decision), k -> new LongAdder()).increment();
        SupervisorSettings settings = new SupervisorSettings(2, Duration.ofMillis(50), TARGETS * CALLS);
        try (Harness harness = new Harness(dir, settings, IntakeSettings.at(dir.resolve("a").resolve("s")))) {
            harness.supervisor.addObserver(tally);
            List<Process> targets = new ArrayList<>();
            for (int i = 0; i < TARGETS; i++) {
                targets.add(harness.target("", List.of("getppid"), Harness.probe("loop", CALLS, GETPPID)));
            }
            AtomicBoolean running = new AtomicBoolean(true);
            Thread mutator = new Thread(() -> mutate(harness, running), "mutator");
            mutator.start();
            Map<String, Long> received = new HashMap<>();
            for (Process p : targets) {
                for (String line : Harness.output(p, Duration.ofSeconds(90)).split("\n")) {
                    String[] parts = line.split(" ");
                    received.merge(parts[0], Long.parseLong(parts[1]), Long::sum);
                }
            }
            running.set(false);
            mutator.join();
            assertEquals(TARGETS * CALLS, received.values().stream().mapToLong(Long::longValue).sum());
            Waits.until(() -> total(answered) == TARGETS * CALLS, Duration.ofSeconds(20),
                    () -> "observers saw " + total(answered));
            Map<String, Long> sent = new HashMap<>();
            answered.forEach((k, v) -> sent.put(k, v.sum()));
            assertEquals(sent, received);
            assertEquals(0, harness.supervisor.stats().observationsDropped());
            assertTrue(received.size() > 3, "the chain really changed under load: " + received);
            harness.awaitNoTrees();
            assertEquals(TARGETS * CALLS, harness.supervisor.stats().notifications());
        }
    }

    /** Adds, removes and re-ranks handlers and swaps policies until told to stop. */
    private static void mutate(Harness harness, AtomicBoolean running) {
        Random random = new Random(42);
        List<Map<String, Object>> live = new ArrayList<>();
        int round = 0;
        while (running.get()) {
            round++;
            int value = 100 + round % 10; // few distinct answers: the probe tallies at most 64
            switch (random.nextInt(4)) {
                case 0 -> live.add(harness.addHandler((e, c) -> Decision.respond(value), random.nextInt(10), Map.of()));
                case 1 -> {
                    if (!live.isEmpty()) {
                        harness.supervisor.removeHandler(null, live.remove(random.nextInt(live.size())));
                    }
                }
                case 2 -> {
                    if (!live.isEmpty()) {
                        Map<String, Object> props = new HashMap<>(live.remove(random.nextInt(live.size())));
                        props.put(Constants.SERVICE_RANKING, random.nextInt(10));
                        harness.supervisor.updatedHandler((e, c) -> random.nextBoolean() ? Decision.pass()
                                : Decision.respond(value + 1000), props);
                        live.add(props);
                    }
                }
                default -> {
                    // half the policies narrow the tree's handler set to the low-ranked handlers
                    TreePolicy policy = TreePolicy.builder().decide("getppid", Decision.respond(5000 + round % 10))
                            .handlers(random.nextBoolean() ? null : "(service.ranking<=4)").build();
                    for (TreeStatus tree : harness.supervisor.trees()) {
                        try {
                            harness.supervisor.swapPolicy(tree.id(), policy);
                        } catch (NoSuchElementException ended) {
                            // the tree ended meanwhile
                        }
                    }
                }
            }
            Thread.yield();
        }
    }

    /** As the probe prints it. */
    private static String result(Decision d) {
        return d.kind() == Decision.Kind.DENY ? "e=" + d.errno() : "v=" + d.value();
    }

    private static long total(Map<String, LongAdder> counts) {
        return counts.values().stream().mapToLong(LongAdder::sum).sum();
    }
}
