package org.attenuator.plugin.fallback.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.locks.LockSupport;
import org.attenuator.core.spi.KeeperStatus;
import org.attenuator.core.spi.KeeperStatus.State;
import org.attenuator.linux.Fd;
import org.attenuator.linux.NativeException;
import org.attenuator.linux.UnixSocket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The supervisor's side of the keeper: one thread, {@code attenuator-keeper-link}, owns the
 * connection's life: connect (or start the keeper and connect; only once there is a tree to
 * cover, so a framework that supervises nothing leaves no keeper behind), {@code HELLO} and the
 * hand-back, {@code SHM}, {@code ADD} of every held tree, then it reads the replies until the
 * connection drops, and starts over (a keeper that died is started again and gets everything).
 *
 * <p>{@link #hold} and {@link #release} send their {@code ADD}/{@code DEL} on the caller's thread.
 * Every send happens under one lock together with queuing what the reply answers, so replies,
 * which come in request order, are matched to their requests by position.
 */
final class KeeperLink implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(KeeperLink.class);
    private static final long RETRY_NANOS = 200_000_000L;
    /** With no tree to cover and no keeper running: how often to look for a keeper started by someone else. */
    private static final long IDLE_NANOS = 1_000_000_000L;
    /** Retry interval while another supervisor is connected to the keeper. */
    private static final long BUSY_NANOS = 2_000_000_000L;
    /** How long {@link #awaitHeld} waits at most: a keeper's start, its handshake and the reply to the tree's ADD. */
    private static final long HOLD_NANOS = KeeperStarter.START_NANOS + 5_000_000_000L;

    /** A request sent, waiting for its reply, and what to do on OK (may be null). */
    private record Pending(KeeperRequest request, Runnable onOk) {
    }

    private final FallbackSettings settings;
    private final InFlightTable table;
    /** Prefix of the custody ids this supervisor gives its trees. */
    private final String instance;
    /** Adopts a tree the keeper handed back (on the link thread); false: it could not, let the keeper drop it. */
    private final java.util.function.Predicate<KeeperReply.Tree> takeBack;
    private final Thread thread;
    private final Map<String, HeldTree> trees = new ConcurrentHashMap<>();

    /**
     * Serializes the senders, held during a (possibly blocking) send. The link thread never needs it
     * to read a reply: a sender blocked because the keeper stopped reading while the keeper waits
     * for us to read its replies would otherwise hold up both for the 2 s send timeout.
     */
    private final Object sendLock = new Object();
    /** Written under sendLock: the connection that said HELLO and SHM, or null. */
    private volatile KeeperConnection connection;
    /** Appended under sendLock, polled by the link thread: requests sent, in order, waiting for their replies. */
    private final ConcurrentLinkedDeque<Pending> pending = new ConcurrentLinkedDeque<>();
    /** Custody ids the keeper holds (or was sent an ADD for) on {@link #connection}; added to under sendLock. */
    private final Set<String> keeperHas = ConcurrentHashMap.newKeySet();
    /** Custody ids the keeper confirmed (OK to the ADD, or handed back): what the report counts as covered. */
    private final Set<String> confirmed = ConcurrentHashMap.newKeySet();

    /** The agent's socket, if the keeper should hold it (INTAKE after every handshake). */
    private volatile KeeperIntake intake;
    private volatile boolean running = true;
    /** The connection the link thread works on, from connect on (handshake included): what close() shuts down. */
    private volatile KeeperConnection current;
    private volatile State state;
    private volatile Instant since = Instant.now();
    private volatile String detail = "starting";
    private volatile long keeperPid = -1;
    private volatile int restarts;
    /** Why the last attempt to reach the keeper failed; null once a connection said HELLO. */
    private volatile String failure;
    /** Set once a connection said HELLO: a keeper started after that is a restart. */
    private boolean connectedOnce; // link thread only
    private final KeeperStarter starter;

    KeeperLink(FallbackSettings settings, InFlightTable table, String instance,
            java.util.function.Predicate<KeeperReply.Tree> takeBack) {
        this.settings = settings;
        this.starter = new KeeperStarter(settings);
        this.table = table;
        this.instance = instance;
        this.takeBack = takeBack;
        this.state = State.CONNECTING;
        this.thread = new Thread(this::run, "attenuator-keeper-link");
        thread.setDaemon(true);
    }

    /**
     * Starts the link, unless the socket can never be bound (a path too long for a Unix socket
     * address, from a long ATTENUATOR_HOME): then no keeper is started and every tree is refused at
     * once with that reason, instead of after a keeper start that cannot succeed.
     */
    void start() {
        try {
            UnixSocket.checkPath(settings.socket().toString());
        } catch (IllegalArgumentException e) {
            failure = "keeper " + e.getMessage();
            state(State.CONNECTING, failure);
            return;
        }
        if (thread.getState() == Thread.State.NEW) {
            thread.start();
        }
    }

    // ---- the trees -----------------------------------------------------------------------------

    /** The keeper should hold this tree from now on (ADD now if connected, else once connected). */
    void hold(HeldTree tree) {
        trees.put(tree.custodyId(), tree);
        if (confirmed.contains(tree.custodyId())) {
            tree.held().complete(null); // handed back by the keeper: it holds the tree already
        }
        if (!sendAdd(tree)) {
            LockSupport.unpark(thread); // the link may be waiting for a first tree before it starts the keeper
        }
    }

    /**
     * Returns once the keeper holds the tree: its ADD went out with the listener, or it was handed back.
     * @throws IOException the keeper refused it, cannot be reached (why the last attempt failed), or timed out
     */
    void awaitHeld(HeldTree tree) throws IOException {
        if (Thread.currentThread() == thread && !tree.held().isDone()) {
            throw new IOException("not confirmed yet (the link thread cannot wait for its own replies)");
        }
        tree.await(HOLD_NANOS, () -> failure != null ? failure : !running ? "the keeper link is closed" : null,
                () -> "the keeper at " + settings.socket() + " did not confirm it within " + HOLD_NANOS / 1_000_000_000L
                        + " s (" + detail + ")");
    }

    /** The tree held under this custody id, or null. */
    HeldTree tree(String custodyId) {
        return trees.get(custodyId);
    }

    /** The tree ended: DEL it; returns it (its listener is closed), or null if not held. */
    HeldTree release(String custodyId) {
        HeldTree t = trees.remove(custodyId);
        if (t == null) {
            return null;
        }
        synchronized (sendLock) {
            if (keeperHas.remove(custodyId)) {
                send(new KeeperRequest.Del(custodyId), () -> confirmed.remove(custodyId));
            }
        }
        closeQuietly(t.listener());
        return t;
    }

    /** Whether the tree's ADD was sent now; false if not connected (sent once connected) or sent before. */
    private boolean sendAdd(HeldTree t) {
        synchronized (sendLock) {
            if (connection == null) {
                return false;
            }
            // once sent, the ADD and its fd are in the keeper's socket, which it reads to the end even
            // after this process died: the listener is out of this process's hands
            if (keeperHas.add(t.custodyId()) && send(t.add(), () -> confirmed.add(t.custodyId()))) {
                t.held().complete(null);
            }
            return true;
        }
    }

    /** Sends on the current connection with its reply expectation; on failure ends the connection (the link restarts). */
    private boolean send(KeeperRequest request, Runnable onOk) {
        synchronized (sendLock) {
            KeeperConnection k = connection;
            if (k == null) {
                return false;
            }
            pending.add(new Pending(request, onOk)); // before the send: the link thread may read the reply at once
            try {
                k.send(request);
            } catch (NativeException | IllegalArgumentException e) {
                pending.removeLast();
                LOG.warn("keeper: {} not sent: {}", request.line().split(" ", 3)[0] + " " + idOf(request), e.getMessage());
                k.shutdown(); // the link thread sees EOF and starts over, sending everything again
                return false;
            }
            return true;
        }
    }

    // ---- the agent's socket --------------------------------------------------------------------

    /** The keeper should accept on the agent's socket: INTAKE now if connected, else after the next handshake. */
    void holdIntake(KeeperIntake i) {
        intake = i;
        sendIntake();
    }

    void releaseIntake(KeeperIntake i) {
        if (intake == i) {
            intake = null;
        }
    }

    /** The intake stops accepting first: any connection accepted after the INTAKE is the keeper's. */
    private void sendIntake() {
        synchronized (sendLock) {
            KeeperIntake i = intake;
            if (i != null && connection != null) {
                i.handoff().pause();
                if (!send(i.request(), null)) {
                    i.handoff().resume();
                }
            }
        }
    }

    /** DONE for a connection that came on {@code from}; nothing if that keeper connection is gone. */
    void done(KeeperConnection from, long keeperTicket) {
        synchronized (sendLock) {
            if (from == connection) {
                send(new KeeperRequest.Done(keeperTicket), null);
            }
        }
    }

    private void handleConn(KeeperReply.Conn conn) {
        KeeperIntake i = intake;
        if (i != null) {
            i.connection(connection, conn);
            return;
        }
        closeQuietly(conn.connection()); // the intake closed meanwhile: nothing reads it
        done(connection, conn.ticket());
    }

    // ---- status --------------------------------------------------------------------------------

    KeeperStatus.Report report() {
        State s = state;
        List<KeeperStatus.CoveredTree> covered = new ArrayList<>();
        if (s == State.WATCHING) {
            for (HeldTree t : trees.values()) {
                if (confirmed.contains(t.custodyId())) {
                    covered.add(new KeeperStatus.CoveredTree(t.treeId(), t.custodyId(), t.pid(), t.spec(), t.source()));
                }
            }
            covered.sort((a, b) -> a.treeId().compareTo(b.treeId()));
        }
        return new KeeperStatus.Report(s, s == State.WATCHING ? keeperPid : -1, settings.keeper(), settings.socket(),
                since, restarts, detail, covered);
    }

    private void state(State s, String why) {
        if (state != s) {
            since = Instant.now();
        }
        state = s;
        detail = why;
    }

    // ---- the link thread -----------------------------------------------------------------------

    private void run() {
        while (running) {
            KeeperConnection k = null;
            try {
                k = connectOrStart();
                if (k == null) {
                    LockSupport.parkNanos(IDLE_NANOS); // until a tree comes (unpark), then look again
                    continue;
                }
                current = k;
                if (!running) {
                    k.shutdown(); // close() ran before it could see this connection
                }
                handshake(k);
                connectedOnce = true;
                for (KeeperReply r = k.read(); r != null; r = k.read()) {
                    handle(r);
                }
                if (running) {
                    LOG.warn("keeper: connection lost (pid {}); starting over", keeperPid);
                    state(State.CONNECTING, "keeper connection lost");
                }
            } catch (KeeperBusyException e) {
                // another supervisor (an agent, another run) holds the keeper: it covers its trees; ours wait
                if (running && !e.getMessage().equals(detail)) {
                    LOG.info("keeper: {}; retrying every {} ms", e.getMessage(), BUSY_NANOS / 1_000_000);
                }
                failure = e.getMessage() + " at " + settings.socket();
                state(State.CONNECTING, e.getMessage());
                LockSupport.parkNanos(BUSY_NANOS - RETRY_NANOS);
            } catch (IOException | RuntimeException e) {
                if (running && !String.valueOf(e.getMessage()).equals(detail)) { // once, not every retry
                    LOG.warn("keeper: {}", e.getMessage());
                }
                failure = String.valueOf(e.getMessage());
                state(State.CONNECTING, e.getMessage());
            } finally {
                if (k != null) {
                    k.shutdown(); // a sender blocked on it fails now, and lets go of the send lock
                }
                synchronized (sendLock) {
                    connection = null;
                    pending.clear();
                    keeperHas.clear();
                }
                KeeperIntake i = intake;
                if (i != null) {
                    i.handoff().resume(); // until the next handshake's INTAKE
                }
                if (k != null) {
                    current = null;
                    k.close();
                }
            }
            if (running) {
                LockSupport.parkNanos(RETRY_NANOS);
            }
        }
    }

    /** Connects to a running keeper, else starts one and connects to it; null: nothing to do yet. */
    private KeeperConnection connectOrStart() throws IOException {
        Path socket = settings.socket();
        if (trees.isEmpty() && !settings.takeBack()) {
            state(State.STANDBY, "no tree to cover yet (a running keeper's trees stay with it: takeBack is off)");
            return null;
        }
        KeeperConnection k = starter.connectRunning();
        if (k != null) {
            keeperPid = k.peer().pid();
            LOG.info("keeper: found running at {} (pid {})", socket, keeperPid);
            detail = "found running";
            return k;
        }
        if (trees.isEmpty() && !settings.takeBack()) {
            state(State.STANDBY, "no keeper running at " + socket + "; one starts with the first supervised tree");
            return null;
        } // a long-running supervisor (takeBack) starts it at once: trees handed to it then wait for no keeper start
        if (connectedOnce) {
            restarts++;
        }
        k = starter.start(() -> running);
        keeperPid = k.peer().pid();
        detail = "started by this supervisor";
        return k;
    }

    /** HELLO (taking back trees this supervisor does not have), SHM, ADD of every tree. */
    private void handshake(KeeperConnection k) throws IOException {
        List<KeeperReply.Tree> back = k.handshake(table.memfd());
        synchronized (sendLock) {
            confirmed.clear();
            back.forEach(b -> {
                keeperHas.add(b.treeId());
                confirmed.add(b.treeId());
            });
            connection = k;
        }
        failure = null;
        state(State.WATCHING, detail);
        LOG.info("keeper: watching (pid {}), {} tree(s) handed back", keeperPid, back.size());
        for (KeeperReply.Tree b : back) {
            if (trees.containsKey(b.treeId())) {
                closeQuietly(b.listener()); // ours already: we still hold the listener
            } else if (b.treeId().startsWith(instance + ".") || !takeBack.test(b)) {
                closeQuietly(b.listener()); // ours and ended meanwhile, or not adoptable: the keeper lets it go
                synchronized (sendLock) {
                    keeperHas.remove(b.treeId());
                    send(new KeeperRequest.Del(b.treeId()), () -> confirmed.remove(b.treeId()));
                }
            }
        }
        for (HeldTree t : List.copyOf(trees.values())) {
            sendAdd(t);
        }
        sendIntake();
    }

    /** A reply on a watching connection: the answer to the oldest request waiting for one. */
    private void handle(KeeperReply reply) {
        if (reply instanceof KeeperReply.Conn conn) {
            handleConn(conn); // answers no request
            return;
        }
        Pending p = pending.poll();
        if (p == null || !(reply instanceof KeeperReply.Ok || reply instanceof KeeperReply.Err)) {
            if (reply instanceof KeeperReply.Tree t) {
                closeQuietly(t.listener());
            }
            LOG.warn("keeper: unexpected reply {}{}", reply, p == null ? " (no request waiting)" : " to " + p.request().line());
            return;
        }
        if (reply instanceof KeeperReply.Ok) {
            if (p.onOk() != null) {
                p.onOk().run();
            }
            return;
        }
        String reason = ((KeeperReply.Err) reply).reason();
        if (p.request() instanceof KeeperRequest.Del && reason.equals("no such tree")) {
            LOG.debug("keeper: DEL {}: it had dropped the tree already (all its processes exited)", idOf(p.request()));
            return;
        }
        LOG.warn("keeper refused {} {}: ERR {}", p.request().line().split(" ", 2)[0], idOf(p.request()), reason);
        KeeperIntake i = intake;
        if (p.request() instanceof KeeperRequest.Intake && i != null) {
            i.handoff().resume(); // an older keeper knows no INTAKE: the agent accepts on its own
        }
        if (p.request() instanceof KeeperRequest.Add add) {
            keeperHas.remove(add.treeId());
            HeldTree t = trees.get(add.treeId());
            if (t != null) {
                t.held().completeExceptionally(new IOException("the keeper refused it: ERR " + reason));
            }
        }
    }

    private static String idOf(KeeperRequest r) {
        if (r instanceof KeeperRequest.Add add) {
            return add.treeId();
        }
        return r instanceof KeeperRequest.Del del ? del.treeId() : "";
    }

    /** Ends the connection (the keeper takes over every tree, as after a crash) and the link thread. */
    @Override
    public void close() {
        running = false;
        KeeperConnection k = current;
        if (k != null) {
            k.shutdown();
        }
        LockSupport.unpark(thread); // it may be parked for a first tree (IDLE_NANOS): stop now, not a second later
        try {
            thread.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (HeldTree t : trees.values()) {
            closeQuietly(t.listener());
        }
    }

    static void closeQuietly(Fd fd) {
        try {
            fd.close();
        } catch (NativeException e) {
            LOG.debug("close: {}", e.getMessage());
        }
    }
}
