package org.attenuator.core.internal.intake;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BiFunction;
import org.attenuator.core.Intake;
import org.attenuator.core.IntakeSettings;
import org.attenuator.core.Supervisor;
import org.attenuator.core.TreePolicy;
import org.attenuator.core.TreeSpec;
import org.attenuator.linux.Errno;
import org.attenuator.linux.Fd;
import org.attenuator.linux.NativeException;
import org.attenuator.linux.UnixSocket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The OCI seccomp agent socket: accepts connections on one thread, reads each on a small pool
 * (a stalling peer holds one reader for at most the stall timeout), checks the peer's uid, and
 * turns each valid message into a tree. A bad connection costs one log line and its fds; the
 * intake and the supervisor keep running.
 */
public final class AgentIntake implements Intake {

    private static final Logger LOG = LoggerFactory.getLogger(AgentIntake.class);
    private static final int READERS = 4;

    private final IntakeSettings settings;
    private final Supervisor supervisor;
    private final BiFunction<String, List<String>, Optional<TreePolicy>> policies;
    private final UnixSocket server;
    private final ExecutorService readers;
    private final Thread acceptor;
    private final LongAdder accepted = new LongAdder();
    private final LongAdder rejected = new LongAdder();
    private volatile boolean open = true;

    private AgentIntake(IntakeSettings settings, Supervisor supervisor, BiFunction<String, List<String>, Optional<TreePolicy>> policies,
            UnixSocket server) {
        this.settings = settings;
        this.supervisor = supervisor;
        this.policies = policies;
        this.server = server;
        AtomicInteger n = new AtomicInteger();
        this.readers = Executors.newFixedThreadPool(READERS, r -> daemon(r, "attenuator-intake-" + n.incrementAndGet()));
        this.acceptor = daemon(this::acceptLoop, "attenuator-intake");
        acceptor.start();
    }

    /** Creates the socket (mode 0600; its directory 0700 if it has to be made) and starts accepting. */
    public static AgentIntake open(IntakeSettings settings, Supervisor supervisor,
            BiFunction<String, List<String>, Optional<TreePolicy>> policies) throws IOException {
        Path socket = settings.socket().toAbsolutePath();
        Path dir = socket.getParent();
        if (!Files.isDirectory(dir)) {
            Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        }
        Files.deleteIfExists(socket); // a stale socket of an earlier run
        UnixSocket server = UnixSocket.listen(socket.toString(), 128);
        boolean success = false;
        try {
            Fd.chmod(socket.toString(), 0600);
            success = true;
        } finally {
            if (!success) {
                server.close();
            }
        }
        LOG.info("OCI seccomp agent listening on {}", socket);
        return new AgentIntake(settings, supervisor, policies, server);
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

    private void acceptLoop() {
        while (open) {
            UnixSocket connection;
            try {
                connection = server.accept();
            } catch (NativeException e) {
                if (open && e.errno() != Errno.EINTR) {
                    LOG.warn("agent socket {}: {}", settings.socket(), e.getMessage());
                }
                continue;
            }
            if (!open) {
                closeQuietly(connection);
                break;
            }
            try {
                readers.execute(() -> serve(connection));
            } catch (RejectedExecutionException e) {
                closeQuietly(connection);
            }
        }
    }

    private void serve(UnixSocket connection) {
        List<Fd> fds = new ArrayList<>();
        String peer = "?";
        try {
            UnixSocket.PeerCredentials credentials = connection.peerCredentials();
            peer = "pid " + credentials.pid() + " uid " + credentials.uid();
            if (credentials.uid() != 0 && !settings.allowedUids().contains(credentials.uid())) {
                throw new MalformedMessageException("uid " + credentials.uid() + " is not allowed");
            }
            OciMessage message = new MessageReader(connection, settings.stallTimeout()).read(fds);
            adopt(message, fds);
            accepted.increment();
        } catch (MalformedMessageException e) {
            rejected.increment();
            LOG.warn("agent connection from {} rejected: {}", peer, e.getMessage());
        } catch (IOException | RuntimeException e) {
            rejected.increment();
            LOG.warn("agent connection from {} failed: {}", peer, e.toString());
        } finally {
            fds.forEach(AgentIntake::closeQuietly);
            closeQuietly(connection);
        }
    }

    /** Takes the listener out of {@code fds} (the rest are closed by the caller) and adopts it. */
    private void adopt(OciMessage message, List<Fd> fds) throws MalformedMessageException, IOException {
        if (fds.size() != message.fdNames().size()) {
            throw new MalformedMessageException(fds.size() + " fds came for " + message.fdNames().size() + " names "
                    + message.fdNames());
        }
        Map<String, String> metadata = TreeProperties.metadata(message.metadata());
        TreePolicy policy = policyOf(metadata.get(TreeProperties.PROFILE_KEY),
                TreeProperties.list(metadata.get(TreeProperties.APPLY_POINT_KEY)));
        Fd listener = fds.remove(message.seccompFdIndex());
        supervisor.adopt(listener, TreeSpec.oci(message.pid(), TreeProperties.of(message, metadata), policy));
    }

    /** The named profile's policy with {@code applyPoint} added; the default policy (with it) when none is named. */
    private TreePolicy policyOf(String profile, List<String> applyPoint) throws MalformedMessageException {
        if (profile == null) {
            return applyPoint.isEmpty() ? TreePolicy.DEFAULT
                    : TreePolicy.DEFAULT.toBuilder().applyPoint(applyPoint.toArray(String[]::new)).build();
        }
        Optional<TreePolicy> found;
        try {
            found = policies.apply(profile, applyPoint);
        } catch (IllegalArgumentException e) {
            throw new MalformedMessageException("profile " + profile + ": " + e.getMessage());
        }
        if (found.isEmpty()) {
            LOG.warn("no profile {} (neither an absolute file path nor a known key): the tree gets the default policy,"
                    + " its notified calls {} unless a handler decides", profile, TreePolicy.DEFAULT.undecided());
        }
        return found.orElse(TreePolicy.DEFAULT);
    }

    @Override
    public void close() {
        if (!open) {
            return;
        }
        open = false;
        wakeAcceptor();
        try {
            acceptor.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        readers.shutdownNow();
        try {
            readers.awaitTermination(settings.stallTimeout().toMillis() + 1000, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        closeQuietly(server);
        try {
            Files.deleteIfExists(settings.socket());
        } catch (IOException e) {
            LOG.warn("removing {}: {}", settings.socket(), e.toString());
        }
        LOG.info("OCI seccomp agent on {} closed ({} accepted, {} rejected)", settings.socket(), accepted(), rejected());
    }

    /** accept() does not return when its socket closes; a connection of our own wakes it. */
    private void wakeAcceptor() {
        try (UnixSocket self = UnixSocket.connect(settings.socket().toAbsolutePath().toString())) {
            LOG.trace("woke the acceptor through {}", self);
        } catch (NativeException e) {
            acceptor.interrupt();
        }
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    private static void closeQuietly(Fd fd) {
        try {
            fd.close();
        } catch (NativeException e) {
            LOG.debug("close: {}", e.getMessage());
        }
    }
}
