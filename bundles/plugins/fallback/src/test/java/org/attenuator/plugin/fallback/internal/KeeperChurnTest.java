package org.attenuator.plugin.fallback.internal;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.attenuator.core.IntakeSettings;
import org.attenuator.core.internal.intake.IntakeService;
import org.attenuator.core.spi.KeeperStatus;
import org.attenuator.core.internal.supervisor.SupervisorComponent;
import org.attenuator.core.internal.supervisor.SupervisorSettings;
import org.attenuator.testsupport.NativeDir;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Many short-lived trees through a real supervisor (agent socket) and the real keeper: each tree's
 * ADD is sent from the intake thread, its DEL from an event loop, while the link thread reads the
 * keeper's replies. What an administrator would check afterwards: no warning from the plugin (no
 * garbled reply, no unsent request), the keeper never restarted (same pid), no zombie child, and
 * neither the supervisor's nor the keeper's fd count grew.
 *
 * <p>The number of trees is {@code -Dfallback.churn=N} (default 600, seconds on an idle machine);
 * bench/keeper-churn.sh runs it with 20,000.
 */
class KeeperChurnTest {

    private static final int TREES = Integer.getInteger("fallback.churn", 600);
    private static final int LAUNCHERS = 8;
    private static final int GETPPID = 110;

    private Path dir;
    private SupervisorComponent supervisor;
    private FallbackComponent fallback;
    private Process holder;
    private final ListAppender<ILoggingEvent> log = new ListAppender<>();

    @BeforeEach
    void start() throws IOException {
        dir = Files.createTempDirectory(Files.createDirectories(Path.of("target", "fallback-runs")), "churn-")
                .toAbsolutePath();
        log.start();
        pluginLogger().addAppender(log);
        supervisor = new SupervisorComponent(new SupervisorSettings(2, Duration.ofSeconds(60), 4096));
        fallback = new FallbackComponent(supervisor, new FallbackSettings(true, "errno:EPERM", false,
                NativeDir.keeper(), dir.resolve("run").resolve("keeper.sock"), 1024, 256, false));
        supervisor.setCustodian(fallback);
        fallback.start();
        new IntakeService(supervisor).open(IntakeSettings.at(agentSocket()));
    }

    @AfterEach
    void stop() throws Exception {
        pluginLogger().detachAppender(log);
        if (holder != null) {
            holder.destroyForcibly().waitFor();
        }
        fallback.close();
        supervisor.close();
    }

    @Test
    void manyShortLivedTreesLeaveTheKeeperLinkIntact() throws Exception {
        // one long-lived tree: the keeper starts for it and stays for the whole test
        holder = tree("sleep", "600").start();
        await().atMost(Duration.ofSeconds(30)).until(() -> covered().size() == 1);
        long keeperPid = fallback.report().keeperPid();
        int keeperFds = fdCount(keeperPid);
        int ownFds = fdCount(ProcessHandle.current().pid());

        long started = System.nanoTime();
        ExecutorService launchers = Executors.newFixedThreadPool(LAUNCHERS);
        List<Future<?>> done = new ArrayList<>();
        for (int i = 0; i < LAUNCHERS; i++) {
            int share = TREES / LAUNCHERS;
            done.add(launchers.submit(() -> {
                for (int n = 0; n < share; n++) {
                    Process p = tree("/bin/true").start();
                    assertTrue(p.waitFor(30, TimeUnit.SECONDS), "a short-lived tree ended");
                    assertEquals(0, p.exitValue(), "attenuator-testhelper handed its listener to the agent");
                }
                return null;
            }));
        }
        for (Future<?> f : done) {
            f.get();
        }
        launchers.shutdown();

        // the intake adopts asynchronously: handovers already sent may still wait for adoption
        await().atMost(Duration.ofSeconds(30)).until(() -> supervisor.trees().size() == 1 && covered().size() == 1
                && fdCount(keeperPid) == keeperFds && fdCount(ProcessHandle.current().pid()) <= ownFds + 4);
        double seconds = (System.nanoTime() - started) / 1e9;
        KeeperStatus.Report r = fallback.report();
        List<String> warnings = log.list.stream().filter(e -> e.getLevel().isGreaterOrEqual(Level.WARN))
                .map(ILoggingEvent::getFormattedMessage).toList();
        assertEquals(List.of(), warnings.subList(0, Math.min(10, warnings.size())),
                warnings.size() + " warning(s) from the fallback plugin, the first ones");
        assertEquals(0, r.restarts(), "keeper restarts");
        assertEquals(keeperPid, r.keeperPid(), "the same keeper throughout");
        assertTrue(ProcessHandle.of(keeperPid).isPresent(), "the keeper still runs");
        assertEquals(List.of(), zombieChildren(), "zombie children of the supervisor");
        int fds = fdCount(ProcessHandle.current().pid());
        LoggerFactory.getLogger(KeeperChurnTest.class).info(String.format("CHURN | %d | %.1f s | %.0f/s | %d | %d | %d"
                + " | %d -> %d | %d -> %d |", TREES, seconds, TREES / seconds, warnings.size(), r.restarts(),
                zombieChildren().size(), ownFds, fds, keeperFds, fdCount(keeperPid)));
        assertTrue(fds <= ownFds + 4, "the supervisor's fd count stays flat: " + ownFds + " before, " + fds + " after");
    }

    private ProcessBuilder tree(String... command) {
        List<String> argv = new ArrayList<>(List.of(NativeDir.testhelper().toString(),
                "--notify", String.valueOf(GETPPID), "--socket", agentSocket().toString(), "--"));
        argv.addAll(List.of(command));
        return new ProcessBuilder(argv).redirectError(ProcessBuilder.Redirect.INHERIT)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD);
    }

    private List<KeeperStatus.CoveredTree> covered() {
        KeeperStatus.Report r = fallback.report();
        return r.state() == KeeperStatus.State.WATCHING ? r.trees() : List.of();
    }

    private Path agentSocket() {
        return dir.resolve("agent.sock");
    }


    private static ch.qos.logback.classic.Logger pluginLogger() {
        return ((LoggerContext) LoggerFactory.getILoggerFactory()).getLogger("org.attenuator.plugin.fallback");
    }

    static int fdCount(long pid) throws IOException {
        try (Stream<Path> s = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
            return (int) s.count();
        }
    }

    /** The file's text, or "" if it is gone (a thread or a child that ended while we looked). */
    private static String readOrEmpty(Path p) throws IOException {
        try {
            return Files.readString(p).trim();
        } catch (java.nio.file.NoSuchFileException e) {
            return "";
        }
    }

    /** Children of this JVM (any thread) in state Z. */
    static List<String> zombieChildren() throws IOException {
        List<String> zombies = new ArrayList<>();
        try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
            for (Path task : tasks.toList()) {
                for (String child : readOrEmpty(task.resolve("children")).split(" ")) {
                    String stat = child.isEmpty() ? "" : readOrEmpty(Path.of("/proc", child, "stat"));
                    if (!stat.isEmpty() && stat.substring(stat.lastIndexOf(')') + 2).startsWith("Z")) {
                        zombies.add(child + " " + stat.substring(0, stat.lastIndexOf(')') + 1));
                    }
                }
            }
        }
        return zombies;
    }
}
