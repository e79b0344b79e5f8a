package org.attenuator.plugin.fallback.internal;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.attenuator.linux.ChildProcess;
import org.attenuator.linux.ExitStatus;
import org.attenuator.linux.Fd;
import org.attenuator.linux.NativeException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An attenuator-keeper this process started: in a session of its own (a signal to the
 * supervisor's process group, such as {@code timeout}'s or a terminal's ^C, must not take the
 * listeners down with it), stdout and stderr to its log, held by a pidfd. A reaper thread waits
 * on the pidfd and reaps the keeper the moment it exits, so it never lingers as a zombie, then
 * closes the pidfd; a keeper that outlives this process is re-parented as usual.
 */
final class KeeperProcess {

    private static final Logger LOG = LoggerFactory.getLogger(KeeperProcess.class);

    static {
        // The reaper may wake after this bundle has stopped (a keeper outlives a short run), when its
        // class loader can load nothing more: what it touches then is loaded now.
        ExitStatus.class.getName();
        NativeException.class.getName();
    }

    private final ChildProcess child;
    private final CompletableFuture<ExitStatus> exit = new CompletableFuture<>();
    /** Set before {@link #stop} kills it: that end is ours, not the keeper's failure. */
    private volatile boolean killedByUs;

    private KeeperProcess(ChildProcess child, Path log) {
        this.child = child;
        Thread reaper = new Thread(() -> reap(log), "attenuator-keeper-reaper-" + child.pid());
        reaper.setDaemon(true);
        reaper.start();
    }

    /**
     * Spawns {@code executable --socket SOCKET --exit-when-idle} (it exits once it holds no tree and
     * no supervisor is connected, so short-lived commands leave no daemon behind).
     *
     * @param log the keeper's log, open for appending; the keeper gets its own copy
     */
    static KeeperProcess start(Path executable, Path socket, Fd log, Path logPath) throws NativeException {
        ChildProcess child = ChildProcess.spawn(
                List.of(executable.toString(), "--socket", socket.toString(), "--exit-when-idle"),
                Map.of("PATH", "/usr/sbin:/usr/bin:/sbin:/bin"), null, log, log, true);
        return new KeeperProcess(child, logPath);
    }

    private void reap(Path log) {
        try {
            ExitStatus status = child.waitFor();
            if (status.exited() && status.exitCode() == 0) { // --exit-when-idle
                LOG.debug("keeper: pid {} exited: nothing left to hold", child.pid());
            } else if (killedByUs) {
                LOG.debug("keeper: pid {} killed: it did not exit within its grace", child.pid());
            } else {
                LOG.warn("keeper: pid {} ended: {}; see {}", child.pid(), status, log);
            }
            exit.complete(status);
            child.close();
        } catch (NativeException e) {
            LOG.warn("keeper: pid {}: {}", child.pid(), e.getMessage());
            exit.completeExceptionally(e);
        }
    }

    int pid() {
        return child.pid();
    }

    /** How it ended, or null while it runs. */
    ExitStatus exitStatus() {
        return exit.getNow(null);
    }

    boolean running() {
        return !exit.isDone();
    }

    /** Waits up to {@code grace} for it to exit; then SIGKILL and waits for that. */
    ExitStatus stop(Duration grace) throws NativeException {
        try {
            return exit.get(grace.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            killedByUs = true;
            try {
                child.signal(ChildProcess.SIGKILL);
            } catch (NativeException gone) {
                // reaped meanwhile (its pidfd is closed then): the status is there
            }
            return exit.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new NativeException("waitid(keeper " + child.pid() + ")", org.attenuator.linux.Errno.EINTR);
        } catch (ExecutionException e) {
            throw (NativeException) e.getCause();
        }
    }
}
