package org.attenuator.core.internal.intake;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongConsumer;
import org.attenuator.core.IntakeSettings;
import org.attenuator.core.spi.IntakeCustody;
import org.attenuator.linux.Epoll;
import org.attenuator.linux.Errno;
import org.attenuator.linux.EventFd;
import org.attenuator.linux.Fd;
import org.attenuator.linux.NativeException;
import org.attenuator.linux.UnixSocket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent socket's one thread: accepts and reads every connection without waiting on any (an
 * idle or slow peer costs a map entry and an fd, never a thread), checks the peer's uid and its
 * uid's share, and ends each connection by its deadline. A complete message goes to the
 * {@link Handover} with its fds; everything else is one log line and a count.
 *
 * <p>While a custodian accepts on the socket ({@link IntakeCustody.Handoff}), this loop does not:
 * it reads the connections the custodian hands it, each with a ticket, and every connection with a
 * ticket ends in exactly one call of {@code finished} (for one handed over, after its adoption).
 */
final class IntakeLoop implements Runnable, IntakeCustody.Handoff {

    /** Where complete messages go; owns {@code fds} from the call on, and finishes {@code ticket}. */
    interface Handover {
        /** @return false if it cannot take the message now (it then owns nothing) */
        boolean take(String peer, OciMessage message, List<Fd> fds, long ticket);
    }

    private record Handed(long ticket, Fd connection) {
    }

    private static final Logger LOG = LoggerFactory.getLogger(IntakeLoop.class);
    private static final long SERVER = 0, WAKE = 1;
    /** How long accepting pauses when this process is out of fds (the backlog waits meanwhile). */
    private static final long FD_PAUSE_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    private final IntakeSettings settings;
    private final UnixSocket server;
    private final Handover handover;
    private final LongAdder rejected;
    /** Told when a connection with a ticket is finished with (not handed over). */
    private final LongConsumer finished;
    private final Epoll epoll;
    private final EventFd wake;
    private final Epoll.Events events = new Epoll.Events(64);
    private final UidBudget budget;
    /** In arrival order, which is deadline order: all share one timeout. */
    private final Map<Long, Connection> connections = new LinkedHashMap<>();
    private long nextCookie = 2;
    private long acceptPausedUntil;
    private boolean acceptPaused;
    /** Whether the server is in the epoll set with IN now (loop thread only). */
    private boolean serverWatched = true;
    /** Held while this loop accepts one connection, and to hand accepting to the custodian. */
    private final Object acceptLock = new Object();
    private volatile boolean custodianAccepts;
    private final ConcurrentLinkedQueue<Handed> handed = new ConcurrentLinkedQueue<>();
    private volatile boolean open = true;

    IntakeLoop(IntakeSettings settings, UnixSocket server, Handover handover, LongConsumer finished, LongAdder rejected)
            throws NativeException {
        this.settings = settings;
        this.server = server;
        this.handover = handover;
        this.finished = finished;
        this.rejected = rejected;
        this.budget = new UidBudget(settings.maxConnectionsPerUid(), IntakeSettings.MAX_BYTES_PER_UID);
        Epoll e = Epoll.create();
        EventFd w = null;
        try {
            w = EventFd.create(0, EventFd.NONBLOCK);
            server.setNonBlocking();
            e.add(server, Epoll.IN, SERVER);
            e.add(w, Epoll.IN, WAKE);
        } catch (NativeException failure) {
            Closing.quietly(e);
            if (w != null) {
                Closing.quietly(w);
            }
            throw failure;
        }
        this.epoll = e;
        this.wake = w;
    }

    /** Ends the loop; it closes every connection still open. */
    void stop() {
        open = false;
        wakeLoop();
    }

    private void wakeLoop() {
        try {
            wake.signal(1);
        } catch (NativeException e) {
            LOG.debug("waking the intake: {}", e.getMessage());
        }
    }

    @Override
    public void pause() {
        synchronized (acceptLock) {
            custodianAccepts = true; // no accept of ours is under way or starts from now on
        }
        wakeLoop();
    }

    @Override
    public void resume() {
        if (custodianAccepts) {
            LOG.info("agent socket {}: accepting on its own again (the keeper no longer holds it)", settings.socket());
        }
        custodianAccepts = false;
        wakeLoop();
    }

    @Override
    public void connection(long ticket, Fd connection) {
        handed.add(new Handed(ticket, connection));
        wakeLoop();
        if (!open) {
            drainHanded(); // the loop may have ended before it could see this one
        }
    }

    @Override
    public void run() {
        try {
            while (open) {
                int ready = epoll.wait(events, timeoutMillis());
                for (int i = 0; i < ready && open; i++) {
                    long cookie = events.cookie(i);
                    if (cookie == SERVER) {
                        acceptAll();
                    } else if (cookie == WAKE) {
                        wake.drain();
                        admitHanded();
                    } else {
                        Connection c = connections.get(cookie);
                        if (c != null) {
                            read(cookie, c);
                        }
                    }
                }
                expire();
                watchServer();
            }
        } catch (NativeException | RuntimeException e) {
            LOG.error("agent socket {}: the intake stopped: {}", settings.socket(), e.toString());
        } finally {
            connections.values().forEach(this::close);
            connections.clear();
            drainHanded();
            Closing.quietly(wake);
            Closing.quietly(epoll);
        }
    }

    private int timeoutMillis() {
        long now = System.nanoTime();
        long until = Long.MAX_VALUE;
        if (!connections.isEmpty()) {
            until = connections.values().iterator().next().deadlineNanos;
        }
        if (acceptPaused) {
            until = Math.min(until, acceptPausedUntil);
        }
        if (until == Long.MAX_VALUE) {
            return -1;
        }
        return (int) Math.max(0, Math.min(Integer.MAX_VALUE, TimeUnit.NANOSECONDS.toMillis(until - now) + 1));
    }

    /** The server is watched unless the custodian accepts or this process is out of fds. */
    private void watchServer() throws NativeException {
        boolean want = !custodianAccepts && !acceptPaused;
        if (want != serverWatched) {
            epoll.modify(server, want ? Epoll.IN : 0, SERVER);
            serverWatched = want;
        }
    }

    private void admitHanded() {
        for (Handed h = handed.poll(); h != null && open; h = handed.poll()) {
            admit(UnixSocket.adopt(h.connection()), h.ticket());
        }
    }

    /** Connections handed over after the loop ended: closed, their tickets finished. */
    private void drainHanded() {
        for (Handed h = handed.poll(); h != null; h = handed.poll()) {
            Closing.quietly(h.connection());
            finished.accept(h.ticket());
        }
    }

    private void acceptAll() throws NativeException {
        while (open) {
            UnixSocket socket;
            try {
                synchronized (acceptLock) {
                    if (custodianAccepts) {
                        return; // it accepts from now on; watchServer stops watching the socket
                    }
                    socket = server.accept();
                }
            } catch (NativeException e) {
                if (e.errno() == Errno.EMFILE || e.errno() == 23 /* ENFILE */) {
                    pauseAccepting(e);
                } else if (e.errno() != Errno.EAGAIN && e.errno() != Errno.EINTR) {
                    LOG.warn("agent socket {}: {}", settings.socket(), e.getMessage());
                }
                return;
            }
            admit(socket, 0);
        }
    }

    /** Out of fds: stop watching the socket for a while instead of spinning on it. */
    private void pauseAccepting(NativeException e) throws NativeException {
        LOG.warn("agent socket {}: {}; accepting pauses for {} ms", settings.socket(), e.getMessage(),
                TimeUnit.NANOSECONDS.toMillis(FD_PAUSE_NANOS));
        acceptPaused = true;
        watchServer();
        acceptPausedUntil = System.nanoTime() + FD_PAUSE_NANOS;
    }

    /** @param ticket the custodian's, or 0 (accepted here) */
    private void admit(UnixSocket socket, long ticket) {
        UnixSocket.PeerCredentials peer;
        try {
            peer = socket.peerCredentials();
        } catch (NativeException e) {
            reject("?", e.getMessage());
            refuse(socket, ticket);
            return;
        }
        String who = "pid " + peer.pid() + " uid " + peer.uid();
        if (peer.uid() != 0 && !settings.allowedUids().contains(peer.uid())) {
            reject(who, "uid " + peer.uid() + " is not allowed");
            refuse(socket, ticket);
            return;
        }
        if (!budget.open(peer.uid())) {
            reject(who, "uid " + peer.uid() + " already has " + budget.maxConnections() + " connections open");
            refuse(socket, ticket);
            return;
        }
        long cookie = nextCookie++;
        Connection c = new Connection(socket, peer, System.nanoTime() + settings.stallTimeout().toNanos(), ticket);
        try {
            socket.setNonBlocking();
            epoll.add(socket, Epoll.IN | Epoll.RDHUP, cookie);
        } catch (NativeException e) {
            budget.close(peer.uid(), 0);
            reject(who, e.getMessage());
            close(c);
            return;
        }
        connections.put(cookie, c);
    }

    private void refuse(UnixSocket socket, long ticket) {
        Closing.quietly(socket);
        if (ticket != 0) {
            finished.accept(ticket);
        }
    }

    /** Closes a connection not handed over, and finishes its ticket. */
    private void close(Connection c) {
        c.close();
        if (c.ticket != 0) {
            finished.accept(c.ticket);
        }
    }

    private void read(long cookie, Connection c) {
        int before = c.length();
        boolean complete;
        try {
            complete = c.readAvailable();
        } catch (MalformedMessageException | NativeException e) {
            budget.grow(c.peer.uid(), c.length() - before);
            drop(cookie, c, e.getMessage());
            return;
        }
        if (!budget.grow(c.peer.uid(), c.length() - before)) {
            drop(cookie, c, "uid " + c.peer.uid() + "'s connections hold over " + budget.maxBytes()
                    + " bytes of unfinished messages");
            return;
        }
        if (complete) {
            finish(cookie, c);
        }
    }

    private void finish(long cookie, Connection c) {
        end(cookie, c);
        boolean handedOver = false;
        try {
            OciMessage message = c.message();
            List<Fd> fds = c.takeFds();
            handedOver = handover.take(c.describe(), message, fds, c.ticket);
            if (!handedOver) {
                fds.forEach(Closing::quietly);
                reject(c.describe(), "the agent is busy: too many handovers waiting");
            }
        } catch (MalformedMessageException e) {
            reject(c.describe(), e.getMessage());
        } finally {
            if (handedOver) {
                c.close(); // its ticket is the handover's now
            } else {
                close(c);
            }
        }
    }

    private void drop(long cookie, Connection c, String reason) {
        end(cookie, c);
        close(c);
        reject(c.describe(), reason);
    }

    /** No longer this loop's: out of the map and the uid's share (closing removes it from epoll). */
    private void end(long cookie, Connection c) {
        connections.remove(cookie);
        budget.close(c.peer.uid(), c.length());
    }

    private void expire() throws NativeException {
        long now = System.nanoTime();
        if (acceptPaused && now - acceptPausedUntil >= 0) {
            acceptPaused = false; // watchServer watches it again
        }
        Iterator<Map.Entry<Long, Connection>> it = connections.entrySet().iterator();
        while (it.hasNext()) {
            Connection c = it.next().getValue();
            if (c.deadlineNanos - now > 0) {
                break;
            }
            it.remove();
            budget.close(c.peer.uid(), c.length());
            close(c);
            reject(c.describe(), "no complete message within " + settings.stallTimeout().toMillis() + " ms ("
                    + c.length() + " bytes came)");
        }
    }

    private void reject(String peer, String reason) {
        LOG.warn("agent connection from {} rejected: {}", peer, reason);
        rejected.increment(); // after the line: whoever sees the count can read why
    }
}
