package org.attenuator.core.internal.supervisor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.attenuator.api.Decision;
import org.attenuator.api.HandlerContext.Phase;
import org.attenuator.core.spi.TreePolicy;
import org.attenuator.core.spi.TreeStatus;
import org.attenuator.core.test.Caller;
import org.attenuator.core.test.Harness;
import org.attenuator.core.test.HarnessTest;
import org.attenuator.core.test.NativePrograms;
import org.junit.jupiter.api.Test;

/** Pause, resume, policy swap and apply point on a live target that calls when told to. */
class LiveControlTest extends HarnessTest {

    private static final int GETPPID = NativePrograms.nr("getppid");
    private static final int GETUID = NativePrograms.nr("getuid");


    private Caller caller(int nr) throws Exception {
        return new Caller(harness, nr, List.of("getppid", "getuid"));
    }

    @Test
    void pauseAnswersWithoutHandlersUntilResume() throws Exception {
        harness.addHandler((e, c) -> Decision.respond(1), 0, Map.of());
        try (Caller caller = caller(GETPPID)) {
            assertEquals("v=1", caller.call());
            String tree = harness.awaitOnlyTree().id();
            harness.supervisor.pause(tree, Decision.respond(2));
            assertEquals("v=2", caller.call());
            harness.supervisor.pauseAll(Decision.deny(11));
            assertEquals("v=2", caller.call(), "a tree's own pause wins over the global one");
            harness.supervisor.resume(tree);
            assertEquals("e=11", caller.call());
            harness.supervisor.resumeAll();
            assertEquals("v=1", caller.call());
            TreeStatus.Counters counters = harness.supervisor.tree(tree).orElseThrow().counters();
            assertEquals(5, counters.notifications());
            assertEquals(3, counters.paused());
        }
    }

    @Test
    void swappedPolicyHoldsFromTheNextNotification() throws Exception {
        try (Caller caller = caller(GETPPID)) {
            assertEquals("e=1", caller.call());
            String tree = harness.awaitOnlyTree().id();
            harness.supervisor.swapPolicy(tree, TreePolicy.builder().name("v2").decide("getppid", Decision.respond(9)).build());
            assertEquals("v=9", caller.call());
            assertEquals("v2", harness.supervisor.tree(tree).orElseThrow().policy().name());
        }
    }

    @Test
    void aSwappedPolicyBringsItsHandlerSetWithIt() throws Exception {
        harness.addHandler((e, c) -> Decision.respond(1), 20, Map.of("plugin", "a"));
        harness.addHandler((e, c) -> Decision.respond(2), 10, Map.of("plugin", "b"));
        try (Caller caller = caller(GETPPID)) {
            assertEquals("v=1", caller.call(), "no filter: every handler, the higher ranking first");
            String tree = harness.awaitOnlyTree().id();
            harness.supervisor.swapPolicy(tree, TreePolicy.builder().name("only-b").handlers("(plugin=b)").build());
            assertEquals("v=2", caller.call());
            harness.supervisor.swapPolicy(tree, TreePolicy.builder().name("none").handlers("(plugin=none)")
                    .decide("getppid", Decision.respond(3)).build());
            assertEquals("v=3", caller.call(), "no handler admitted: the policy decides");
            harness.supervisor.swapPolicy(tree, TreePolicy.builder().name("all").build());
            assertEquals("v=1", caller.call());
            assertEquals(Optional.empty(), harness.supervisor.tree(tree).orElseThrow().policy().handlers());
        }
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                () -> TreePolicy.builder().handlers("(plugin=a"));
        assertTrue(bad.getMessage().startsWith("handlers is not a valid LDAP filter"), bad.getMessage());
    }

    @Test
    void applyPointMovesTheTreeFromInitToRunDecisions() throws Exception {
        TreePolicy policy = TreePolicy.builder().name("daemon").applyPoint("getppid")
                .decideBeforeApplyPoint("getuid", Decision.respond(100)).decide("getuid", Decision.deny(13))
                .decide("getppid", Decision.respond(5)).build();
        harness.intakes.setPolicySource(p -> Optional.of(policy));
        Process p = harness.target("profile=daemon", List.of("getppid", "getuid"),
                Harness.probe("once", GETUID, GETUID, GETPPID, GETUID));
        assertEquals(String.join("\n", GETUID + " v=100", GETUID + " v=100", GETPPID + " v=5", GETUID + " e=13"),
                Harness.output(p, Duration.ofSeconds(10)));
    }

    @Test
    void handlerSeesThePhase() throws Exception {
        TreePolicy policy = TreePolicy.builder().applyPoint("getuid").build();
        harness.intakes.setPolicySource(p -> Optional.of(policy));
        harness.addHandler((e, c) -> Decision.respond(c.phase() == Phase.INIT ? 0 : 1), 0, Map.of());
        Process p = harness.target("profile=x", List.of("getppid", "getuid"),
                Harness.probe("once", GETPPID, GETUID, GETPPID));
        String out = Harness.output(p, Duration.ofSeconds(10));
        assertEquals(String.join("\n", GETPPID + " v=0", GETUID + " v=1", GETPPID + " v=1"), out);
        var trees = harness.supervisor.trees(); // one snapshot: the tree may end between two calls
        assertTrue(trees.isEmpty() || trees.get(0).phase() == Phase.RUN);
    }
}
