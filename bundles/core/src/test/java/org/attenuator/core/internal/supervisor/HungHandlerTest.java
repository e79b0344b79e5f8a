package org.attenuator.core.internal.supervisor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.attenuator.api.Decision;
import org.attenuator.api.SyscallHandler;
import org.attenuator.core.IntakeSettings;
import org.attenuator.core.spi.TreePolicy;
import org.attenuator.core.test.Harness;
import org.attenuator.core.test.NativePrograms;
import org.attenuator.testsupport.Waits;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A handler that never returns costs its notification the timeout, not an event loop forever. */
class HungHandlerTest {

    private static final int GETPPID = NativePrograms.nr("getppid");
    private static final int GETUID = NativePrograms.nr("getuid");
    /** The hard timeout, and the budget too: a quick handler keeps it even when descheduled on a loaded machine. */
    private static final Duration TIMEOUT = Duration.ofSeconds(1);
    /** A hang that outlasts starting and adopting a second tree on a loaded machine, so close() meets it. */
    private static final Duration LONG_TIMEOUT = Duration.ofSeconds(6);
    private static final Duration EXIT = Duration.ofSeconds(20);

    @TempDir
    Path dir;
    Harness harness;
    final CountDownLatch never = new CountDownLatch(1);

    /** One event loop: if its hung thread were not replaced, nothing else would be answered. */
    private Harness start() throws Exception {
        return start(TIMEOUT);
    }

    private Harness start(Duration timeout) throws Exception {
        harness = new Harness(dir, new SupervisorSettings(1, TIMEOUT, 1024, timeout),
                IntakeSettings.at(dir.resolve("agent").resolve("agent.sock")));
        return harness;
    }

    @AfterEach
    void stop() {
        never.countDown();
        if (harness != null) {
            harness.close();
        }
    }

    private Map<String, Object> hangOn(String syscall) {
        return harness.addHandler((e, c) -> {
            try {
                never.await();
            } catch (InterruptedException interrupted) {
                // the watchdog interrupts the stuck thread; keep hanging (the worst case)
                try {
                    never.await();
                } catch (InterruptedException again) {
                    Thread.currentThread().interrupt();
                }
            }
            return Decision.respond(1);
        }, 10, Map.of(SyscallHandler.SYSCALLS, syscall));
    }

    @Test
    void theWatchdogAnswersUndecidedAndAnotherWorkerTakesOver() throws Exception {
        start();
        hangOn("getppid");
        harness.addHandler((e, c) -> Decision.respond(5), 0, Map.of(SyscallHandler.SYSCALLS, "getuid"));
        TreePolicy policy = TreePolicy.builder().name("p").decide("getppid", Decision.deny(38)).build();
        harness.intakes.setPolicySource(p -> Optional.of(policy));

        long start = System.nanoTime();
        String out = Harness.output(harness.target("profile=p", List.of("getppid", "getuid"),
                Harness.probe("once", GETPPID, GETUID, GETPPID)), EXIT);
        long took = (System.nanoTime() - start) / 1_000_000;

        // each hung getppid gets the policy's decision at the timeout; getuid, decided in between by
        // the loop's replacement thread, gets its handler's answer
        assertEquals(GETPPID + " e=38\n" + GETUID + " v=5\n" + GETPPID + " e=38", out);
        assertTrue(took >= 2 * TIMEOUT.toMillis(), "two timeouts: " + took + " ms");
        assertEquals(2, harness.supervisor.handlers().get(0).faults(), harness.supervisor.handlers().toString());
        assertEquals(1, harness.supervisor.stats().workers());
    }

    @Test
    void aHandlerThatKeepsHangingLeavesTheChain() throws Exception {
        start();
        hangOn("getppid");
        harness.addHandler((e, c) -> Decision.respond(5), 0, Map.of());
        String out = Harness.output(harness.target("", List.of("getppid"),
                Harness.probe("once", GETPPID, GETPPID, GETPPID, GETPPID)), EXIT);
        // three hangs get the undecided EPERM; then the handler is out and the next one answers
        assertEquals(GETPPID + " e=1\n" + GETPPID + " e=1\n" + GETPPID + " e=1\n" + GETPPID + " v=5", out);
        var first = harness.supervisor.handlers().stream().filter(h -> h.rejectedBecause().isPresent()).toList();
        assertEquals(1, first.size(), harness.supervisor.handlers().toString());
        assertTrue(first.get(0).rejectedBecause().get().contains("did not return 3 times"), first.toString());
    }

    /**
     * close() while the only loop hangs in a handler: the hung call gets its undecided decision at
     * the timeout (the watchdog keeps watching during close), and close returns. A notification
     * that waits in the kernel meanwhile was never received, so no handler and no policy answered
     * it: once the listener is closed it fails with ENOSYS (the keeper would answer it, if any).
     */
    @Test
    void closeAnswersTheHungCallAndLeavesTheKernelsQueueToTheKernel() throws Exception {
        start(LONG_TIMEOUT);
        hangOn("getppid");
        AtomicInteger askedForGetuid = new AtomicInteger();
        harness.addHandler((e, c) -> {
            askedForGetuid.incrementAndGet();
            return Decision.respond(5);
        }, 0, Map.of(SyscallHandler.SYSCALLS, "getuid"));
        TreePolicy policy = TreePolicy.builder().name("p").decide("getuid", Decision.respond(77)).build();
        harness.intakes.setPolicySource(p -> Optional.of(policy));

        Process hung = harness.target("profile=p", List.of("getppid"), Harness.probe("once", GETPPID));
        Waits.until(() -> harness.supervisor.stats().notifications() == 1, EXIT, () -> "the hung call received");
        Process waiting = harness.target("profile=p", List.of("getuid"), Harness.probe("once", GETUID));
        Waits.until(() -> harness.supervisor.trees().size() == 2, EXIT, () -> "the second tree adopted");

        // the only loop hangs: getuid waits in the kernel; the handler never returns before this test ends,
        // so a close() that waited for it would never return
        CompletableFuture<Void> closing = CompletableFuture.runAsync(harness.supervisor::close);
        try {
            closing.get(EXIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new AssertionError("close waits for the hung handler, not for the watchdog");
        }

        assertEquals(GETPPID + " e=1", Harness.output(hung, EXIT), "undecided at the timeout");
        assertEquals(GETUID + " e=38", Harness.output(waiting, EXIT), "never received: ENOSYS");
        assertEquals(0, askedForGetuid.get());
        assertEquals(1, harness.supervisor.stats().notifications());
    }
}
