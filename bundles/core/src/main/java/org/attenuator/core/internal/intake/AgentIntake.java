package org.attenuator.core.internal.intake;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;
import org.attenuator.core.Intake;
import org.attenuator.core.IntakeSettings;
import org.attenuator.core.Supervisor;
import org.attenuator.core.spi.IntakeCustody;
import org.attenuator.core.spi.ListenerCustodian;
import org.attenuator.core.spi.PolicySource;
import org.attenuator.core.spi.TreeSpec;
import org.attenuator.linux.Fd;
import org.attenuator.linux.NativeException;
import org.attenuator.linux.UnixSocket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The OCI seccomp agent socket: one thread ({@link IntakeLoop}) reads every connection without
 * waiting on any, and a second one turns each complete message into a tree (checks the listener,
 * reads the profile, adopts), so neither a slow peer nor a slow profile holds the other up. A bad
 * connection costs one log line and its fds; the intake and the supervisor keep running.
 *
 * <p>With a {@link ListenerCustodian} that holds intakes (the keeper), the custodian accepts the
 * connections instead and hands them over with their listeners already in its care; the intake
 * tells it when it is done with each ({@link IntakeCustody#done}), after the tree's adoption.
 */
public final class AgentIntake implements Intake {

    private static final Logger LOG = LoggerFactory.getLogger(AgentIntake.class);
    /**
     * Complete messages waiting for adoption; beyond that a handover is refused, its fds closed
     * (the tree's notified calls then fail). As many as the keeper holds trees: a burst of hundreds
     * of short-lived containers is normal churn, and each waiting one costs only its fds.
     */
    private static final int WAITING = 4096;

    private final IntakeSettings settings;
    private final Supervisor supervisor;
    private final ProfileResolver profiles;
    private final UnixSocket server;
    private final IntakeLoop loop;
    private final Thread loopThread;
    private final ThreadPoolExecutor adopter;
    private final LongAdder accepted = new LongAdder();
    private final LongAdder rejected = new LongAdder();
    private volatile boolean open = true;
    /** The custodian's hold on this socket, or null: it accepts, this intake reads. */
    private volatile IntakeCustody custody;

    private AgentIntake(IntakeSettings settings, Supervisor supervisor, Supplier<Optional<PolicySource>> policies,
            UnixSocket server) throws NativeException {
        this.settings = settings;
        this.supervisor = supervisor;
        this.profiles = new ProfileResolver(settings.profileDirs(), policies);
        this.server = server;
        this.adopter = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(WAITING),
                r -> daemon(r, "attenuator-intake-adopt"));
        this.loop = new IntakeLoop(settings, server, this::take, this::done, rejected);
        this.loopThread = daemon(loop, "attenuator-intake");
        loopThread.start();
    }

    /**
     * Creates the socket (mode 0600; its directory 0700 if it has to be made) and starts accepting.
     *
     * @throws java.nio.file.FileAlreadyExistsException if something other than a stale socket is at the path
     */
    public static AgentIntake open(IntakeSettings settings, Supervisor supervisor,
            Supplier<Optional<PolicySource>> policies) throws IOException {
        Path socket = settings.socket().toAbsolutePath();
        Path dir = socket.getParent();
        if (!Files.isDirectory(dir)) {
            Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        }
        SocketPath.claim(socket);
        UnixSocket server = UnixSocket.listen(socket.toString(), 128);
        boolean success = false;
        try {
            Fd.chmod(socket.toString(), 0600);
            AgentIntake intake = new AgentIntake(settings, supervisor, policies, server);
            success = true;
            LOG.info("OCI seccomp agent listening on {}", socket);
            return intake;
        } finally {
            if (!success) {
                server.close();
                Files.deleteIfExists(socket);
            }
        }
    }

    /** A listener custodian is bound (or null): it may hold this socket from now on (see {@link IntakeCustody}). */
    public synchronized void custodianBound(ListenerCustodian custodian) {
        if (custodian == null || custody != null || !open) {
            return;
        }
        try {
            custody = custodian.holdIntake(server, settings.allowedUids(), loop).orElse(null);
        } catch (RuntimeException e) {
            LOG.warn("agent socket {}: the listener custodian does not hold it ({}); listeners wait in this process alone"
                    + " until adopted", settings.socket(), e.toString());
        }
    }

    /** The custodian went away: this intake accepts on its own again. */
    public synchronized void custodianGone() {
        IntakeCustody c = custody;
        custody = null;
        if (c != null) {
            c.close();
            loop.resume();
        }
    }

    public boolean isOpen() {
        return open;
    }

    /** The connection of this ticket is finished with (0: accepted by this intake, nothing to tell). */
    private void done(long ticket) {
        IntakeCustody c = custody;
        if (ticket != 0 && c != null) {
            c.done(ticket);
        }
    }

    @Override
    public Path socket() {
        return settings.socket();
    }

    @Override
    public long accepted() {
        return accepted.sum();
    }

    @Override
    public long rejected() {
        return rejected.sum();
    }

    /** From the loop: queues a complete message for adoption. */
    private boolean take(String peer, OciMessage message, List<Fd> fds, long ticket) {
        try {
            adopter.execute(() -> adopt(peer, message, fds, ticket));
            return true;
        } catch (RejectedExecutionException e) {
            return false;
        }
    }

    private void adopt(String peer, OciMessage message, List<Fd> fds, long ticket) {
        try {
            if (fds.size() != message.fdNames().size()) {
                throw new MalformedMessageException(fds.size() + " fds came for " + message.fdNames().size() + " names "
                        + message.fdNames());
            }
            int index = message.seccompFdIndex();
            ListenerCheck.requireListener(fds.get(index));
            Map<String, String> metadata = TreeProperties.metadata(message.metadata());
            ProfileResolver.Resolved resolved = profiles.resolve(metadata,
                    TreeProperties.list(metadata.get(TreeProperties.APPLY_POINT_KEY)));
            Fd listener = fds.remove(index);
            supervisor.adopt(listener, TreeSpec.oci(message.pid(), TreeProperties.of(message, metadata, resolved.reference()),
                    resolved.policy()));
            accepted.increment();
        } catch (MalformedMessageException e) {
            LOG.warn("agent connection from {} rejected: {}", peer, e.getMessage());
            rejected.increment(); // after the line: whoever sees the count can read why
        } catch (IOException | RuntimeException e) {
            LOG.warn("agent connection from {} failed: {}", peer, e.toString());
            rejected.increment();
        } finally {
            fds.forEach(Closing::quietly);
            done(ticket); // after the adoption: the tree's listener is with the custodian by now
        }
    }

    @Override
    public void close() {
        if (!open) {
            return;
        }
        open = false;
        loop.stop();
        try {
            loopThread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        adopter.shutdown();
        try {
            adopter.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        custodianGone();
        Closing.quietly(server);
        try {
            Files.deleteIfExists(settings.socket());
        } catch (IOException e) {
            LOG.warn("removing {}: {}", settings.socket(), e.toString());
        }
        LOG.info("OCI seccomp agent on {} closed ({} accepted, {} rejected)", settings.socket(), accepted(), rejected());
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }
}
