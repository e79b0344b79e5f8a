package org.attenuator.cli.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import org.attenuator.core.Intake;
import org.attenuator.core.IntakeSettings;
import org.attenuator.core.Supervisor;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;

/**
 * {@code attenuator agent --socket PATH [--uid UID,..]}: the long-running supervisor with an OCI
 * seccomp agent socket, until SIGTERM or SIGINT (or the framework stops). Trees starting and
 * ending are logged by the supervisor, one line each.
 */
@Component(service = Subcommand.class)
public final class AgentCommand implements Subcommand {

    private final Supervisor supervisor;
    /** Released when the framework stops the command (for example on SIGTERM). */
    private final CountDownLatch stopped = new CountDownLatch(1);

    @Activate
    public AgentCommand(@Reference Supervisor supervisor) {
        this.supervisor = supervisor;
    }

    @Deactivate
    void deactivate() {
        stopped.countDown();
    }

    @Override
    public String name() {
        return "agent";
    }

    @Override
    public String synopsis() {
        return "--socket PATH [--uid UID,..] [--stall-timeout MS] [--deny-log [FILE]]";
    }

    @Override
    public String summary() {
        return "run the supervisor as an OCI seccomp agent (runc/crun listenerPath) until SIGTERM or SIGINT";
    }

    @Override
    public int run(List<String> args, Terminal terminal) throws CommandException {
        Arguments parsed = Arguments.parse(args, Set.of("--socket", "--uid", "--stall-timeout"), Set.of(),
                Set.of(RunCommand.DENY_LOG)).atMostPositionals(0);
        Path socket = Path.of(parsed.option("--socket").orElseThrow(() -> CommandException.badInput("--socket is required")));
        IntakeSettings settings = new IntakeSettings(socket, uids(parsed.options("--uid")),
                Duration.ofMillis(positive(parsed.option("--stall-timeout").orElse("5000"), "--stall-timeout")));
        Intake intake;
        try {
            intake = supervisor.openIntake(settings);
        } catch (IOException e) {
            throw new CommandException(1, "cannot listen on " + socket + ": " + e.getMessage());
        }
        // SIGTERM and SIGINT run the shutdown hooks: close the socket there, so it never outlives us.
        Thread onSignal = new Thread(() -> {
            intake.close();
            stopped.countDown();
        }, "attenuator-agent-stop");
        Runtime.getRuntime().addShutdownHook(onSignal);
        terminal.out().println("attenuator agent listening on " + socket.toAbsolutePath());
        if (parsed.option(RunCommand.DENY_LOG).isPresent()) {
            String file = System.getProperty(RunCommand.DENY_LOG_FILE);
            terminal.out().println("attenuator agent deny-log: " + (file != null ? file
                    : "no file configured by the launcher; entries go to the logger attenuator.denylog"));
        }
        terminal.out().flush();
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            intake.close();
            removeHook(onSignal);
        }
        return 0;
    }

    private static void removeHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the hook is running or ran: nothing to remove
        }
    }

    /** {@code --uid 1000,1001 --uid 1002}. */
    static Set<Integer> uids(List<String> values) throws CommandException {
        Set<Integer> uids = new LinkedHashSet<>();
        for (String value : values) {
            for (String uid : value.split(",")) {
                uids.add((int) positive(uid.trim(), "--uid"));
            }
        }
        return uids;
    }

    private static long positive(String value, String option) throws CommandException {
        try {
            long n = Long.parseLong(value);
            if (n < 0 || ("--stall-timeout".equals(option) && n == 0)) {
                throw CommandException.badInput(option + " must be positive: " + value);
            }
            return n;
        } catch (NumberFormatException e) {
            throw CommandException.badInput(option + " is not a number: " + value);
        }
    }
}
