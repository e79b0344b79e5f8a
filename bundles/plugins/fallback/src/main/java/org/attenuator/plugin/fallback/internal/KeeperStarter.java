package org.attenuator.plugin.fallback.internal;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.attenuator.linux.Errno;
import org.attenuator.linux.NativeException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds the keeper on its socket, or starts one and waits until it listens; used by the link
 * thread only. Never leaves a keeper it started behind while starting another.
 */
final class KeeperStarter {

    private static final Logger LOG = LoggerFactory.getLogger(KeeperStarter.class);
    /** How long a keeper we started may take to listen (it takes milliseconds; a loaded machine, seconds). */
    static final long START_NANOS = 30_000_000_000L;

    private final FallbackSettings settings;
    private final KeeperHome home;
    private KeeperProcess process;
    private int starts;

    KeeperStarter(FallbackSettings settings) {
        this.settings = settings;
        this.home = new KeeperHome(settings);
    }

    /** A connection to a keeper already listening, or null if none listens (no socket, or refused). */
    KeeperConnection connectRunning() throws IOException {
        try {
            return home.connect(process);
        } catch (NativeException e) {
            if (e.errno() != Errno.ENOENT && e.errno() != Errno.ECONNREFUSED) {
                throw e;
            }
            return null;
        }
    }

    /** How many keepers this supervisor started. */
    int starts() {
        return starts;
    }

    /**
     * Starts a keeper and connects to it once it listens.
     *
     * @param running false once the link closes: a keeper still starting is then killed
     */
    KeeperConnection start(BooleanSupplier running) throws IOException {
        if (process != null && process.running()) {
            // ours, no longer listening: it is on its way out (--exit-when-idle); never leave it behind
            LOG.debug("keeper: pid {} stopped listening; waiting for its exit: {}", process.pid(),
                    process.stop(Duration.ofSeconds(2)));
        }
        process = home.start();
        starts++;
        long deadline = System.nanoTime() + START_NANOS;
        while (true) {
            try {
                return home.connect(process);
            } catch (NativeException e) {
                if (!process.running()) {
                    throw new IOException("attenuator-keeper exited at start (" + process.exitStatus() + "); see "
                            + settings.keeperLog());
                }
                // never leave a keeper starting behind: the next one would find it and stop, or
                // its check of the socket would take the only connection while ours says HELLO
                if (!running.getAsBoolean()) {
                    // the supervisor closes (a short run): nothing went wrong, nothing to warn about
                    LOG.debug("keeper: pid {} still starting when the link closed; killed: {}", process.pid(),
                            process.stop(Duration.ZERO));
                    throw new IOException("keeper link closed while attenuator-keeper was starting");
                }
                if (System.nanoTime() - deadline > 0) {
                    LOG.warn("keeper: pid {} did not answer on {} within {} ms ({}); killed: {}", process.pid(),
                            settings.socket(), START_NANOS / 1_000_000, e.getMessage(), process.stop(Duration.ZERO));
                    throw new IOException("attenuator-keeper does not answer on " + settings.socket() + ": "
                            + e.getMessage());
                }
                LockSupport.parkNanos(10_000_000L);
            }
        }
    }
}
