package org.attenuator.plugin.fallback.internal;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import org.attenuator.api.Decision;
import org.attenuator.api.SyscallHandler;
import org.attenuator.core.IntakeSettings;
import org.attenuator.core.internal.intake.IntakeService;
import org.attenuator.core.spi.KeeperStatus;
import org.attenuator.core.internal.supervisor.SupervisorComponent;
import org.attenuator.core.internal.supervisor.SupervisorSettings;
import org.osgi.framework.Constants;

/**
 * The supervisor JVM the tests kill -9: a supervisor with an agent socket, the fallback plugin
 * wired by hand, a handler answering getppid with 7777 and one holding getpid for ever (to be
 * caught in flight). Protocol on stdout (lines starting with "@@"); commands on stdin:
 * {@code status} -> {@code @@ STATUS trees=N state=S pid=P covered=C restarts=R};
 * {@code table} -> the in-flight table as the keeper would read it, {@code @@ TABLE <slot line>}
 * each, then {@code @@ TABLE END} (also logged to stderr, the supervisor's log).
 *
 * <p>Arguments: AGENT_SOCKET KEEPER_SOCKET KEEPER_EXECUTABLE
 */
public final class SupervisorMain {

    private static final AtomicLong IDS = new AtomicLong(1);

    public static void main(String[] args) throws Exception {
        SupervisorComponent supervisor = new SupervisorComponent(
                new SupervisorSettings(2, Duration.ofSeconds(60), 4096));
        supervisor.addHandler((event, context) -> Decision.respond(7777), props("getppid"));
        supervisor.addHandler((event, context) -> {
            System.out.println("@@ HELD " + event.pid() + " id " + Long.toUnsignedString(event.id()));
            System.out.flush();
            try {
                new CountDownLatch(1).await(); // held until the JVM is killed
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return Decision.pass();
        }, props("getpid"));
        FallbackComponent fallback = new FallbackComponent(supervisor, new FallbackSettings(true, "errno:EPERM",
                false, Path.of(args[2]), Path.of(args[1]), 64, 256, true)); // takeBack: a restarted supervisor
        supervisor.setCustodian(fallback);
        fallback.start();
        new IntakeService(supervisor).open(IntakeSettings.at(Path.of(args[0])));
        System.out.println("@@ READY");
        System.out.flush();
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line = in.readLine(); line != null; line = in.readLine()) {
            if (line.equals("status")) {
                KeeperStatus.Report r = fallback.report();
                System.out.println("@@ STATUS trees=" + supervisor.trees().size() + " state=" + r.state() + " pid="
                        + r.keeperPid() + " covered=" + r.trees().size() + " restarts=" + r.restarts());
                System.out.flush();
            } else if (line.equals("table")) {
                for (String slot : fallback.describeTable()) {
                    System.out.println("@@ TABLE " + slot);
                    System.err.println("in-flight table: " + slot);
                }
                System.out.println("@@ TABLE END");
                System.out.flush();
            }
        }
        new CountDownLatch(1).await(); // stdin closed: keep supervising until killed
    }

    private static Map<String, Object> props(String syscall) {
        Map<String, Object> p = new HashMap<>();
        p.put(Constants.SERVICE_ID, IDS.incrementAndGet());
        p.put(Constants.SERVICE_RANKING, 0);
        p.put(SyscallHandler.SYSCALLS, syscall);
        return p;
    }
}
