package org.attenuator.cli.internal;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import org.attenuator.core.Intake;
import org.attenuator.core.IntakeSettings;
import org.attenuator.core.Intakes;
import org.attenuator.core.spi.KeeperStatus;
import org.attenuator.linux.UnixSocket;
import org.attenuator.plugin.fallback.Fallback;
import org.osgi.framework.BundleContext;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/**
 * {@code attenuator agent --socket PATH [--uid UID,..]}: the long-running supervisor with an OCI
 * seccomp agent socket, until SIGTERM or SIGINT (or the framework stops). Trees starting and
 * ending are logged by the supervisor, one line each. It refuses a {@code --socket} path holding
 * anything but a stale socket (a file, a live agent) with one line, exit 2.
 *
 * <p>{@code --profile-dir DIR} (repeatable) is where a peer's {@code profile=NAME} is looked up; no
 * other file is opened for a peer ({@code run --agent} sends its profile's text instead).
 * {@code --max-connections-per-uid N} bounds the connections one uid may hold open at a time.
 *
 * <p>{@code --fallback allow|errno:NAME|kill} sets the default fallback of the keeper (the fallback
 * plugin) for this agent: it updates the plugin's configuration ({@link Fallback#PID},
 * property {@link Fallback#CONFIG_FALLBACK}) through ConfigurationAdmin before the socket opens, and waits until the
 * plugin runs with it. The standalone distribution keeps configurations in the launcher's
 * temporary framework cache, so the setting lasts as long as this agent. A tree's own
 * {@code fallback=} metadata ({@code run --agent --fallback}, a profile's fallback) still wins.
 */
@Component(service = Subcommand.class)
public final class AgentCommand implements Subcommand {

    private static final long FALLBACK_WAIT_MS = 10_000;
    /** st_mode: the file type bits, and the type of a socket. */
    private static final int S_IFMT = 0170000, S_IFSOCK = 0140000;
    static final String PROFILE_DIR = "--profile-dir", MAX_CONNECTIONS = "--max-connections-per-uid";

    private final Intakes intakes;
    private final ConfigurationAdmin configAdmin;
    private final BundleContext context;
    /** Released when the framework stops the command (for example on SIGTERM). */
    private final CountDownLatch stopped = new CountDownLatch(1);

    @Activate
    public AgentCommand(@Reference Intakes intakes,
            @Reference(cardinality = ReferenceCardinality.OPTIONAL, policyOption = ReferencePolicyOption.GREEDY)
            ConfigurationAdmin configAdmin, BundleContext context) {
        this.intakes = intakes;
        this.configAdmin = configAdmin;
        this.context = context;
    }


    @Deactivate
    void deactivate() {
        stopped.countDown();
    }

    static final CommandSpec SPEC = CommandSpec.of("agent",
                    "run the supervisor as an OCI seccomp agent (runc/crun listenerPath) until SIGTERM or SIGINT")
            .describe("Listens on --socket for the seccomp listeners runc and crun send (the OCI runtime spec's "
                    + "listenerPath) and supervises each container's process tree; trees starting and ending are "
                    + "logged, one line each. A --socket path holding anything but a stale socket is refused.")
            .option(Option.value("--socket", "PATH", "The agent socket to listen on (required).")
                    .completing(Values.FILE))
            .option(Option.value("--uid", "UID,..", "Accept peers with these uids besides root (checked with "
                    + "SO_PEERCRED); repeatable."))
            .option(Option.value(PROFILE_DIR, "DIR", "Where a peer's profile=NAME is looked up; repeatable. No other "
                    + "file is opened for a peer.").completing(Values.DIRECTORY))
            .option(Option.value("--stall-timeout", "MS", "How long a peer may stall a message before it is dropped "
                    + "(default 5000)."))
            .option(Option.value(MAX_CONNECTIONS, "N", "How many connections one uid may hold open at a time "
                    + "(default " + IntakeSettings.DEFAULT_MAX_CONNECTIONS_PER_UID + ")."))
            .option(RunSpec.DENY_LOG)
            .option(RunSpec.FALLBACK)
            .example("attenuator agent --socket /run/attenuator.sock --deny-log",
                    "The agent runc's listenerPath names, with its denials in the default deny-log file.")
            .build();

    @Override
    public CommandSpec spec() {
        return SPEC;
    }

    @Override
    public int run(Arguments parsed, Terminal terminal) throws CommandException {
        Path socket = Path.of(parsed.option("--socket").orElseThrow(() -> CommandException.badInput("--socket is required")));
        IntakeSettings settings = new IntakeSettings(socket, uids(parsed.options("--uid")),
                Duration.ofMillis(positive(parsed.option("--stall-timeout").orElse("5000"), "--stall-timeout")),
                (int) Math.min(Integer.MAX_VALUE, positive(parsed.option(MAX_CONNECTIONS)
                        .orElse(String.valueOf(IntakeSettings.DEFAULT_MAX_CONNECTIONS_PER_UID)), MAX_CONNECTIONS)),
                profileDirs(parsed.options(PROFILE_DIR)));
        String fallback = parsed.option(RunCommand.FALLBACK).isPresent()
                ? RunCommand.fallback(parsed.option(RunCommand.FALLBACK).get()) : null;
        Optional<Path> denyLog = parsed.option(RunCommand.DENY_LOG).isPresent()
                ? Optional.of(RunCommand.routeDenyLog(parsed.option(RunCommand.DENY_LOG).get())) : Optional.empty();
        refuseNonSocket(socket);
        configureFallbackPlugin(fallback, terminal);
        KeeperServices.refuseUnboundSocket(context);
        keeperLine(terminal);
        Intake intake;
        try {
            intake = intakes.open(settings);
        } catch (FileAlreadyExistsException e) { // a file, or a live agent, that is not ours to remove
            throw CommandException.badInput("--socket " + e.getMessage());
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
        if (denyLog.isPresent()) {
            terminal.out().println("attenuator agent deny-log: " + denyLog.get());
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

    /**
     * A path that can never become this agent's socket (too long for a socket address, a file, a
     * directory, a symbolic link) ends the command before the fallback plugin starts a keeper for it,
     * so the one error line is all it prints. The intake checks the path again when it claims it (a
     * live agent's socket, a stale one).
     */
    private static void refuseNonSocket(Path socket) throws CommandException {
        try {
            UnixSocket.checkPath(socket.toString());
        } catch (IllegalArgumentException e) {
            throw CommandException.badInput("--socket: " + e.getMessage());
        }
        int mode;
        try {
            mode = (Integer) Files.getAttribute(socket, "unix:mode", LinkOption.NOFOLLOW_LINKS);
        } catch (IOException | UnsupportedOperationException e) {
            return; // nothing there (or nothing readable): the intake says what is wrong
        }
        if ((mode & S_IFMT) != S_IFSOCK) {
            throw CommandException.badInput("--socket " + socket + ": exists and is not a socket (left as it is)");
        }
    }

    /**
     * The agent is the long-running supervisor: the fallback plugin takes back the trees a keeper
     * holds ({@code takeBack}), with {@code --fallback} as its default when given. Waits until the
     * plugin runs with that configuration.
     */
    private void configureFallbackPlugin(String fallback, Terminal terminal) throws CommandException {
        if (context == null || KeeperServices.status(context, null) == null) {
            if (fallback != null) {
                throw new CommandException(1, RunCommand.FALLBACK + ": the fallback plugin is not installed");
            }
            return;
        }
        if (configAdmin == null) {
            throw new CommandException(1, "the agent needs the configuration admin service (not running)");
        }
        try {
            Configuration c = configAdmin.getConfiguration(Fallback.PID, "?");
            Dictionary<String, Object> props = c.getProperties() != null ? c.getProperties() : new Hashtable<>();
            props.put(Fallback.CONFIG_TAKE_BACK, Boolean.TRUE);
            if (fallback != null) {
                props.put(Fallback.CONFIG_FALLBACK, fallback);
            }
            c.update(props);
        } catch (IOException e) {
            throw new CommandException(1, "cannot configure the fallback plugin: " + e.getMessage());
        }
        String filter = "(&(" + Fallback.CONFIG_TAKE_BACK + "=true)"
                + (fallback == null ? "" : "(" + Fallback.CONFIG_FALLBACK + "="
                + fallback.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)").replace("*", "\\*") + ")") + ")";
        long deadline = System.nanoTime() + FALLBACK_WAIT_MS * 1_000_000;
        while (KeeperServices.status(context, filter) == null) { // the plugin restarts with its new configuration
            if (System.nanoTime() - deadline > 0) {
                throw new CommandException(1, "the fallback plugin did not take its agent configuration within "
                        + FALLBACK_WAIT_MS + " ms");
            }
            java.util.concurrent.locks.LockSupport.parkNanos(10_000_000L);
        }
        if (fallback != null) {
            terminal.out().println("attenuator agent fallback: " + fallback + " (trees without a fallback of their own)");
        }
    }

    /** One line on the keeper: whether a crash of this agent would be covered. */
    private void keeperLine(Terminal terminal) {
        KeeperStatus status = KeeperServices.status(context, null);
        if (status == null) {
            terminal.out().println("attenuator agent keeper: none (fallback plugin not installed): a crash fails notified calls with ENOSYS");
            return;
        }
        KeeperStatus.Report r = status.report();
        terminal.out().println("attenuator agent keeper: " + r.state().name().toLowerCase()
                + (r.keeperPid() > 0 ? " (pid " + r.keeperPid() + ")" : "") + ", socket " + r.socket() + "; " + r.detail()
                + "; trees under fallback are logged by the plugin");
    }

    private static void removeHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the hook is running or ran: nothing to remove
        }
    }

    /** {@code --profile-dir DIR}, repeatable: existing directories, the only places a peer's {@code profile=} is looked up. */
    static List<Path> profileDirs(List<String> values) throws CommandException {
        List<Path> dirs = new java.util.ArrayList<>();
        for (String value : values) {
            Path dir = Path.of(value).toAbsolutePath().normalize();
            if (!Files.isDirectory(dir)) {
                throw CommandException.badInput(PROFILE_DIR + " " + value + ": not a directory");
            }
            dirs.add(dir);
        }
        return dirs;
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
            if (n < 0 || (!"--uid".equals(option) && n == 0)) {
                throw CommandException.badInput(option + " must be positive: " + value);
            }
            return n;
        } catch (NumberFormatException e) {
            throw CommandException.badInput(option + " is not a number: " + value);
        }
    }
}
