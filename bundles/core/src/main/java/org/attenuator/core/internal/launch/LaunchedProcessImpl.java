package org.attenuator.core.internal.launch;

import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.attenuator.core.Launch;
import org.attenuator.core.LaunchedProcess;
import org.attenuator.linux.NativeException;
import org.attenuator.linux.Pidfd;

/**
 * A launched target: the JDK process (which reaps it) and a pidfd taken while it was alive, or
 * none when the target had already ended.
 */
final class LaunchedProcessImpl implements LaunchedProcess {

    private final Launch launch;
    private final Process process;
    private final Pidfd pidfd;
    private final Optional<String> treeId;

    LaunchedProcessImpl(Launch launch, Process process, Pidfd pidfd, Optional<String> treeId) {
        this.launch = launch;
        this.process = process;
        this.pidfd = pidfd;
        this.treeId = treeId;
    }

    @Override
    public long pid() {
        return process.pid();
    }

    @Override
    public Optional<String> treeId() {
        return treeId;
    }

    @Override
    public Launch launch() {
        return launch;
    }

    /** The JDK reports a signal death as 0x80 + N, the shell convention. */
    @Override
    public int waitFor() throws InterruptedException {
        return process.waitFor();
    }

    @Override
    public Optional<Integer> waitFor(long timeout, TimeUnit unit) throws InterruptedException {
        return process.waitFor(timeout, unit) ? Optional.of(process.exitValue()) : Optional.empty();
    }

    @Override
    public boolean isAlive() {
        return process.isAlive();
    }

    /** Through the pidfd: once the JDK reaped the target this fails with ESRCH, never hits a reused pid. */
    @Override
    public void signal(int signal) {
        if (pidfd == null) {
            return; // it had ended before the launch returned
        }
        try {
            pidfd.sendSignal(signal);
        } catch (NativeException e) {
            // ESRCH: it has ended; EBADF: closed
        }
    }

    @Override
    public Process process() {
        return process;
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
            try {
                process.waitFor();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (pidfd != null) {
            LauncherService.closeQuietly(pidfd);
        }
    }

    @Override
    public String toString() {
        return "LaunchedProcess{pid=" + pid() + treeId.map(t -> ", tree=" + t).orElse("") + ", " + launch + "}";
    }
}
