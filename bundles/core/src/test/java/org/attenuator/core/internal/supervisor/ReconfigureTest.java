package org.attenuator.core.internal.supervisor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.annotation.Annotation;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.attenuator.api.Decision;
import org.attenuator.core.IntakeSettings;
import org.attenuator.core.test.Caller;
import org.attenuator.core.test.Harness;
import org.attenuator.core.test.NativePrograms;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A changed supervisor configuration (what Karaf's config admin delivers to {@code @Modified})
 * applies to the running supervisor: its trees stay and keep being answered, under the new
 * settings; a configuration that does not validate changes nothing.
 */
@Timeout(60)
class ReconfigureTest {

    private static final int GETPPID = NativePrograms.nr("getppid");
    /** Longer than the tight budget below, far shorter than the tests' usual one ({@link Harness#SETTINGS}). */
    private static final long SLOW_HANDLER_MILLIS = 20;
    /** A budget and timeout no quick handler overruns on a loaded machine. */
    private static final long GENEROUS_MILLIS = Harness.SETTINGS.handlerBudget().toMillis();

    @TempDir
    Path dir;
    private Harness harness;
    private final List<Caller> callers = new ArrayList<>();

    @BeforeEach
    void oneLoop() throws Exception {
        harness = new Harness(dir, Harness.SETTINGS.withWorkers(1),
                IntakeSettings.at(dir.resolve("agent").resolve("agent.sock")));
    }

    @AfterEach
    void close() throws Exception {
        for (Caller c : callers) {
            c.close();
        }
        harness.close();
    }

    private Caller caller() throws Exception {
        Caller c = new Caller(harness, GETPPID, List.of("getppid"));
        callers.add(c);
        return c;
    }

    @Test
    void aTighterBudgetMakesASlowHandlerPassOnTheRunningTree() throws Exception {
        harness.addHandler((e, c) -> {
            takeTime(SLOW_HANDLER_MILLIS); // the slow handler under test
            return Decision.respond(1);
        }, 0, Map.of());
        Caller caller = caller();
        assertEquals("v=1", caller.call(), "within the starting budget");
        String tree = harness.awaitOnlyTree().id();

        harness.supervisor.modified(config(0, 5, 1000, 4096));
        assertEquals("e=1", caller.call(), "over a 5 ms budget: pass, then the tree's undecided EPERM");
        assertEquals(tree, harness.awaitOnlyTree().id(), "the same tree, never restarted");
        assertEquals(1, harness.supervisor.handlers().get(0).faults());
    }

    @Test
    void moreAndThenFewerLoopsKeepEveryTreeAnswered() throws Exception {
        harness.addHandler((e, c) -> Decision.respond(3), 0, Map.of());
        Caller first = caller();
        assertEquals("v=3", first.call());

        harness.supervisor.modified(config(3, GENEROUS_MILLIS, GENEROUS_MILLIS, 4096));
        assertEquals(3, harness.supervisor.stats().workers());
        Caller second = caller(), third = caller();
        for (Caller c : List.of(first, second, third)) {
            assertEquals("v=3", c.call());
        }

        harness.supervisor.modified(config(1, GENEROUS_MILLIS, GENEROUS_MILLIS, 4096));
        assertEquals(1, harness.supervisor.stats().workers());
        Caller fourth = caller();
        for (Caller c : List.of(first, second, third, fourth)) {
            assertEquals("v=3", c.call(), "trees on loops beyond the new count stay answered");
        }
        assertEquals(4, harness.supervisor.trees().size());
    }

    @Test
    void anInvalidConfigurationChangesNothing() throws Exception {
        harness.addHandler((e, c) -> {
            takeTime(SLOW_HANDLER_MILLIS);
            return Decision.respond(1);
        }, 0, Map.of());
        Caller caller = caller();
        // a 5 ms budget would make the handler pass, but a timeout below the budget is invalid
        harness.supervisor.modified(config(4, 5, 2, 4096));
        assertEquals("v=1", caller.call(), "the old budget still holds");
        assertEquals(1, harness.supervisor.stats().workers(), "and the old number of loops");
    }

    /** What makes the handler slow: it returns {@code millis} after it was asked, not sooner. */
    private static void takeTime(long millis) {
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        for (long left = end - System.nanoTime(); left > 0; left = end - System.nanoTime()) {
            LockSupport.parkNanos(left);
        }
    }

    /** What config admin hands DS: the component's configuration type with these values. */
    private static SupervisorComponent.Config config(int workers, long budgetMillis, long timeoutMillis, int queue) {
        return new SupervisorComponent.Config() {
            @Override
            public Class<? extends Annotation> annotationType() {
                return SupervisorComponent.Config.class;
            }

            @Override
            public int workers() {
                return workers;
            }

            @Override
            public long handlerBudgetMillis() {
                return budgetMillis;
            }

            @Override
            public long handlerTimeoutMillis() {
                return timeoutMillis;
            }

            @Override
            public int observerQueue() {
                return queue;
            }
        };
    }
}
