package org.attenuator.core.internal.supervisor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.attenuator.api.Decision;
import org.attenuator.api.SupervisedTree;
import org.attenuator.api.SyscallHandler;
import org.attenuator.core.HandlerStatus;
import org.attenuator.core.IntakeSettings;
import org.attenuator.core.spi.TreePolicy;
import org.attenuator.core.spi.TreeStatus;
import org.attenuator.core.test.Harness;
import org.attenuator.core.test.HarnessTest;
import org.attenuator.core.test.NativePrograms;
import org.attenuator.testsupport.Waits;
import org.junit.jupiter.api.Test;

/** Real targets handed over through the agent socket; handlers and policies decide their syscalls. */
class ChainDecisionsTest extends HarnessTest {

    private static final int GETPPID = NativePrograms.nr("getppid");
    private static final int GETUID = NativePrograms.nr("getuid");
    private static final Duration EXIT = Duration.ofSeconds(20);
    private static final Duration SLOW_BUDGET = Duration.ofSeconds(2);


    private String run(String metadata, Object... probeArgs) throws Exception {
        return Harness.output(harness.target(metadata, List.of("getppid", "getuid"), Harness.probe(probeArgs)), EXIT);
    }

    @Test
    void handlerResponseIsWhatTheSyscallReturns() throws Exception {
        harness.addHandler((e, c) -> Decision.respond(4242), 0, Map.of());
        assertEquals(GETPPID + " v=4242", run("", "once", GETPPID));
    }

    @Test
    void handlerDenialIsTheErrno() throws Exception {
        harness.addHandler((e, c) -> Decision.deny(13), 0, Map.of());
        assertEquals(GETPPID + " e=13", run("", "once", GETPPID));
    }

    @Test
    void allowRunsTheRealSyscall() throws Exception {
        harness.addHandler((e, c) -> Decision.allow(), 0, Map.of());
        assertEquals(GETPPID + " v=" + ProcessHandle.current().pid(), run("", "once", GETPPID));
    }

    @Test
    void killEndsTheCaller() throws Exception {
        harness.addHandler((e, c) -> Decision.kill(), 0, Map.of());
        Process p = harness.target("", List.of("getppid"), Harness.probe("once", GETPPID));
        assertEquals("", Harness.output(p, EXIT));
        assertEquals(128 + 9, p.exitValue(), "SIGKILL");
    }

    @Test
    void whenEveryHandlerPassesTheUndecidedEpermApplies() throws Exception {
        AtomicInteger asked = new AtomicInteger();
        harness.addHandler((e, c) -> {
            asked.incrementAndGet();
            return Decision.pass();
        }, 0, Map.of());
        assertEquals(GETPPID + " e=1", run("", "once", GETPPID));
        assertEquals(1, asked.get());
    }

    @Test
    void higherRankingDecidesFirstAndSyscallsLimitAHandler() throws Exception {
        harness.addHandler((e, c) -> Decision.respond(1), 0, Map.of());
        harness.addHandler((e, c) -> Decision.respond(2), 10, Map.of());
        harness.addHandler((e, c) -> Decision.respond(3), 20, Map.of(SyscallHandler.SYSCALLS, new String[] {"getuid"}));
        assertEquals(GETPPID + " v=2\n" + GETUID + " v=3", run("", "once", GETPPID, GETUID));
    }

    @Test
    void targetFilterMatchesTreeMetadata() throws Exception {
        harness.addHandler((e, c) -> Decision.respond(7), 5, Map.of(SyscallHandler.TARGET, "(meta.team=blue)"));
        assertEquals(GETPPID + " v=7", run("team=blue", "once", GETPPID));
        assertEquals(GETPPID + " e=1", run("team=red", "once", GETPPID));
    }

    @Test
    void invalidTargetFilterRejectsTheHandlerAndSaysWhy() throws Exception {
        harness.addHandler((e, c) -> Decision.respond(7), 5, Map.of(SyscallHandler.TARGET, "(broken"));
        List<HandlerStatus> handlers = harness.supervisor.handlers();
        assertEquals(1, handlers.size());
        assertTrue(handlers.get(0).rejectedBecause().orElseThrow().contains("not a valid LDAP filter"),
                handlers.get(0).toString());
        assertEquals(GETPPID + " e=1", run("", "once", GETPPID));
    }

    @Test
    void throwingOrSlowHandlersCountAsPassAndAreCounted() throws Exception {
        // A budget that a quick handler keeps even when its thread is descheduled on a loaded machine,
        // and a hard timeout far beyond it: the slow handler overruns the budget but is not a hang.
        harness.close();
        harness = new Harness(dir.resolve("budget"), new SupervisorSettings(SupervisorSettings.DEFAULT_WORKERS,
                SLOW_BUDGET, SupervisorSettings.DEFAULTS.observerQueue(), EXIT),
                IntakeSettings.at(dir.resolve("budget").resolve("agent").resolve("agent.sock")));
        harness.addHandler((e, c) -> {
            throw new IllegalStateException("broken plugin");
        }, 20, Map.of());
        harness.addHandler((e, c) -> {
            takeLongerThan(SLOW_BUDGET);
            return Decision.respond(99);
        }, 10, Map.of());
        harness.addHandler((e, c) -> Decision.respond(5), 0, Map.of());
        assertEquals(GETPPID + " v=5", run("", "once", GETPPID));
        List<HandlerStatus> handlers = harness.supervisor.handlers();
        assertEquals(List.of(1L, 1L, 0L), handlers.stream().map(HandlerStatus::faults).toList());
    }

    /** What makes a handler slow: it returns after {@code budget} and then some, never sooner. */
    private static void takeLongerThan(Duration budget) {
        long end = System.nanoTime() + budget.toNanos() + Duration.ofMillis(200).toNanos();
        for (long left = end - System.nanoTime(); left > 0; left = end - System.nanoTime()) {
            LockSupport.parkNanos(left);
        }
    }

    @Test
    void policyFromTheProfileMetadataDecidesWhenHandlersPass() throws Exception {
        TreePolicy policy = TreePolicy.builder().name("web").decide("getppid", Decision.respond(31))
                .undecided(Decision.deny(38)).build();
        harness.intakes.setPolicySource(profile -> profile.equals("web") ? Optional.of(policy) : Optional.empty());
        assertEquals(GETPPID + " v=31\n" + GETUID + " e=38", run("profile=web", "once", GETPPID, GETUID));
        assertEquals(GETPPID + " e=1", run("profile=unknown", "once", GETPPID));
    }

    @Test
    void treeHasPropertiesAndCountersAndEndsWithItsLastProcess() throws Exception {
        harness.addHandler((e, c) -> Decision.respond(e.tree().properties().containsKey("meta.k") ? 1 : 0), 0, Map.of());
        Process p = harness.target("k=v\nprofile=none", List.of("getppid"), Harness.probe("hold", GETPPID, 0));
        TreeStatus tree = harness.awaitOnlyTree();
        assertEquals("v", tree.properties().get("meta.k"));
        assertEquals("oci", tree.properties().get(SupervisedTree.SOURCE));
        assertEquals("none", tree.properties().get(SupervisedTree.PROFILE));
        assertEquals(tree.id(), tree.properties().get(SupervisedTree.ID));
        Waits.until(() -> harness.supervisor.tree(tree.id()).orElseThrow().counters().responded() == 1,
                Duration.ofSeconds(10), () -> "one answer");
        p.getOutputStream().close(); // the probe makes its second call and exits
        assertEquals(GETPPID + " v=1\n" + GETPPID + " v=1", Harness.output(p, EXIT));
        harness.awaitNoTrees();
        harness.awaitTreesEnded(1);
        assertEquals(2, harness.supervisor.stats().notifications());
    }
}
