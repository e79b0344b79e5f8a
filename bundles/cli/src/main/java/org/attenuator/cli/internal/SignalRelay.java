package org.attenuator.cli.internal;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.IntConsumer;
import org.attenuator.linux.Epoll;
import org.attenuator.linux.EventFd;
import org.attenuator.linux.NativeException;
import org.attenuator.linux.SignalFd;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Forwards to the target every signal {@code run} relays: HUP, INT, QUIT, USR1, USR2, TERM, WINCH.
 *
 * <p>bin/attenuator starts the run JVM through attenuator-signals, which blocks these before the
 * JVM's first instruction, and with -Xrs and _JAVA_SR_SIGNUM moved off SIGUSR2, so that HotSpot
 * unblocks none of them in its threads. None of them can end the JVM then, and one that arrived
 * before the target existed is still pending when this relay starts: it reaches the target as soon
 * as it exists. One thread reads them from a signalfd. A JVM started without them blocked falls
 * back to {@link SignalForwarder} (SIGINT and SIGTERM through sun.misc.Signal, from the launch on).
 */
final class SignalRelay implements SignalForwarding {

    private static final Logger LOG = LoggerFactory.getLogger(SignalRelay.class);
    static final int SIGHUP = 1, SIGINT = 2, SIGQUIT = 3, SIGUSR1 = 10, SIGUSR2 = 12, SIGTERM = 15, SIGWINCH = 28;
    static final int[] RELAYED = {SIGHUP, SIGINT, SIGQUIT, SIGUSR1, SIGUSR2, SIGTERM, SIGWINCH};
    private static final long SIGNALS = 1, STOP = 2;
    /** HotSpot's suspend/resume signal, which bin/attenuator moves off SIGUSR2 for the run JVM. */
    static final String JVM_SUSPEND_SIGNAL = "_JAVA_SR_SIGNUM";

    private final SignalFd signals;
    private final EventFd stop;
    private final Epoll epoll;
    private final IntConsumer target;
    private final Thread thread;

    private SignalRelay(SignalFd signals, EventFd stop, Epoll epoll, IntConsumer target) {
        this.signals = signals;
        this.stop = stop;
        this.epoll = epoll;
        this.target = target;
        this.thread = new Thread(this::relay, "attenuator-signal-relay");
        thread.setDaemon(true);
    }

    /** Starts forwarding to {@code target}; the signals pending so far go first. */
    static SignalForwarding start(IntConsumer target) {
        if (!SignalFd.blocked(RELAYED)) {
            LOG.debug("the relayed signals are not blocked (JVM not started by bin/attenuator run)");
            return SignalForwarder.install(target);
        }
        SignalFd signals = null;
        EventFd stop = null;
        Epoll epoll = null;
        try {
            signals = SignalFd.open(RELAYED);
            stop = EventFd.create(0, EventFd.NONBLOCK);
            epoll = Epoll.create();
            epoll.add(signals, Epoll.IN, SIGNALS);
            epoll.add(stop, Epoll.IN, STOP);
            SignalRelay relay = new SignalRelay(signals, stop, epoll, target);
            relay.thread.start();
            return relay;
        } catch (NativeException e) {
            closeQuietly(epoll);
            closeQuietly(signals);
            closeQuietly(stop);
            LOG.warn("signals are not forwarded to the target: {}", e.getMessage());
            return () -> { };
        }
    }

    /** The caller's environment without bin/attenuator's {@link #JVM_SUSPEND_SIGNAL}; empty if it has none. */
    static Optional<Map<String, String>> targetEnvironment() {
        if (System.getenv(JVM_SUSPEND_SIGNAL) == null) {
            return Optional.empty();
        }
        Map<String, String> env = new HashMap<>(System.getenv());
        env.remove(JVM_SUSPEND_SIGNAL);
        return Optional.of(env);
    }

    private void relay() {
        Epoll.Events events = new Epoll.Events(2);
        try {
            while (true) {
                int n = epoll.wait(events, -1);
                for (int i = 0; i < n; i++) {
                    if (events.cookie(i) == STOP) {
                        return;
                    }
                }
                for (int s = signals.next(); s != 0; s = signals.next()) {
                    target.accept(s);
                }
            }
        } catch (NativeException e) {
            LOG.warn("signals are not forwarded to the target any more: {}", e.getMessage());
        }
    }

    /** Stops forwarding; signals that arrive later stay pending (blocked) until the JVM ends. */
    @Override
    public void close() {
        try {
            stop.signal(1);
            thread.join();
        } catch (NativeException e) {
            LOG.debug("cannot stop the signal relay: {}", e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        closeQuietly(epoll);
        closeQuietly(signals);
        closeQuietly(stop);
    }

    private static void closeQuietly(AutoCloseable c) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (Exception e) {
            LOG.debug("closing {}: {}", c, e.toString());
        }
    }
}
