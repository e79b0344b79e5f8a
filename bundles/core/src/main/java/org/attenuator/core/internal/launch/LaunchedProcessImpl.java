package org.attenuator.core.internal.launch;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import org.attenuator.core.Launch;
import org.attenuator.core.LaunchedProcess;
import org.attenuator.linux.ChildProcess;
import org.attenuator.linux.Epoll;
import org.attenuator.linux.ExitStatus;
import org.attenuator.linux.Fd;
import org.attenuator.linux.NativeException;
import org.attenuator.linux.Pidfd;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A launched target: a child of the fork server, which reaps it and reports its status; signals
 * go through the pidfd the server opened for it. If the server dies first, the status is lost:
 * {@link #waitFor()} then returns {@link #STATUS_LOST} once the pidfd shows the end.
 */
final class LaunchedProcessImpl implements LaunchedProcess {

    private static final Logger LOG = LoggerFactory.getLogger(LaunchedProcessImpl.class);
    /** The shell status reported when the fork server died before the target: unknown. */
    static final int STATUS_LOST = 255;

    private final Launch launch;
    private final int pid;
    private final Pidfd pidfd;
    private final CompletableFuture<ExitStatus> exit;
    private final Optional<String> treeId;
    private final TargetProcess process;
    /** After the server died: the target's status if it was reaped here; null until tried. */
    private Optional<Integer> reaped;
    private static final int REPARENT_ATTEMPTS = 20;

    LaunchedProcessImpl(Launch launch, ForkServer.Spawned spawned, Optional<String> treeId, Fd stdin, Fd stdout, Fd stderr) {
        this.launch = launch;
        this.pid = spawned.pid();
        this.pidfd = spawned.pidfd();
        this.exit = spawned.exit();
        this.treeId = treeId;
        this.process = new TargetProcess(stdin, stdout, stderr);
    }

    @Override
    public long pid() {
        return pid;
    }

    @Override
    public Optional<String> treeId() {
        return treeId;
    }

    @Override
    public Launch launch() {
        return launch;
    }

    /** Shell convention: the exit status, 128 + N for signal N. */
    @Override
    public int waitFor() throws InterruptedException {
        try {
            return exit.get().shellStatus();
        } catch (ExecutionException e) {
            return lost(-1).orElseThrow();
        }
    }

    @Override
    public Optional<Integer> waitFor(long timeout, TimeUnit unit) throws InterruptedException {
        try {
            return Optional.of(exit.get(timeout, unit).shellStatus());
        } catch (TimeoutException e) {
            return Optional.empty();
        } catch (ExecutionException e) {
            return lost(unit.toMillis(timeout));
        }
    }

    /**
     * The server died: waits (ms; -1 forever) until the pidfd is readable, i.e. the target ended.
     * If this process is a child subreaper ({@link org.attenuator.linux.ChildProcess#becomeSubreaper}),
     * the target was reparented to it and its status is reaped here; else it is lost.
     */
    private Optional<Integer> lost(long ms) {
        try (Epoll epoll = Epoll.create()) {
            epoll.add(pidfd, Epoll.IN, 0);
            Epoll.Events events = new Epoll.Events(1);
            if (epoll.wait(events, (int) Math.min(ms, Integer.MAX_VALUE)) == 0) {
                return Optional.empty();
            }
        } catch (NativeException e) {
            // closed or gone: ended as far as we can tell
        }
        return Optional.of(reapOrphan().orElseGet(() -> {
            LOG.warn("pid {}: exit status lost (the fork server died before it)", pid);
            return STATUS_LOST;
        }));
    }

    /** The ended target's status if it is this process's child now (it may take the dying server a moment to hand it over). */
    private synchronized Optional<Integer> reapOrphan() {
        if (reaped == null) {
            reaped = Optional.empty();
            for (int attempt = 0; attempt < REPARENT_ATTEMPTS && reaped.isEmpty(); attempt++) {
                try {
                    reaped = Optional.ofNullable(pidfd.waitFor(true)).map(ExitStatus::shellStatus);
                } catch (NativeException notOurChild) {
                    if (notOurChild.errno() != org.attenuator.linux.Errno.ECHILD) {
                        break;
                    }
                }
                if (reaped.isEmpty()) {
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
                }
            }
        }
        return reaped;
    }

    @Override
    public boolean isAlive() {
        if (exit.isDone()) {
            return exit.isCompletedExceptionally() && lost(0).isEmpty();
        }
        return true;
    }

    /** Through the pidfd: once the target has been reaped this fails (ESRCH), never hits a reused pid. */
    @Override
    public void signal(int signal) {
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
        if (isAlive()) {
            signal(ChildProcess.SIGKILL);
            try {
                waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        LauncherService.closeQuietly(pidfd);
        process.closeStreams();
    }

    @Override
    public String toString() {
        return "LaunchedProcess{pid=" + pid + treeId.map(t -> ", tree=" + t).orElse("") + ", " + launch + "}";
    }

    /** The target as a java.lang.Process: the pipes of {@link Launch.Stdio#PIPE}, its status. */
    private final class TargetProcess extends Process {
        private final OutputStream stdin;
        private final InputStream stdout;
        private final InputStream stderr;

        TargetProcess(Fd in, Fd out, Fd err) {
            this.stdin = in == null ? OutputStream.nullOutputStream() : new FdOutputStream(in);
            this.stdout = out == null ? InputStream.nullInputStream() : new FdInputStream(out);
            this.stderr = err == null ? InputStream.nullInputStream() : new FdInputStream(err);
        }

        void closeStreams() {
            for (java.io.Closeable c : new java.io.Closeable[] {stdin, stdout, stderr}) {
                try {
                    c.close();
                } catch (IOException e) {
                    // closing once is all we can do
                }
            }
        }

        @Override
        public OutputStream getOutputStream() {
            return stdin;
        }

        @Override
        public InputStream getInputStream() {
            return stdout;
        }

        @Override
        public InputStream getErrorStream() {
            return stderr;
        }

        @Override
        public int waitFor() throws InterruptedException {
            return LaunchedProcessImpl.this.waitFor();
        }

        @Override
        public boolean waitFor(long timeout, TimeUnit unit) throws InterruptedException {
            return LaunchedProcessImpl.this.waitFor(timeout, unit).isPresent();
        }

        @Override
        public int exitValue() {
            try {
                return LaunchedProcessImpl.this.waitFor(0, TimeUnit.NANOSECONDS)
                        .orElseThrow(() -> new IllegalThreadStateException("process " + pid + " has not exited"));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalThreadStateException("interrupted");
            }
        }

        @Override
        public void destroy() {
            signal(ChildProcess.SIGTERM);
        }

        @Override
        public Process destroyForcibly() {
            signal(ChildProcess.SIGKILL);
            return this;
        }

        @Override
        public boolean isAlive() {
            return LaunchedProcessImpl.this.isAlive();
        }

        @Override
        public long pid() {
            return pid;
        }
    }

    private static final class FdInputStream extends InputStream {
        private final Fd fd;

        FdInputStream(Fd fd) {
            this.fd = fd;
        }

        @Override
        public int read() throws IOException {
            byte[] b = new byte[1];
            return read(b, 0, 1) <= 0 ? -1 : b[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return 0;
            }
            while (true) {
                try {
                    int n = fd.read(ByteBuffer.wrap(b, off, Math.min(len, 65536)));
                    return n == 0 ? -1 : n;
                } catch (NativeException e) {
                    if (e.errno() != org.attenuator.linux.Errno.EINTR) {
                        throw e;
                    }
                }
            }
        }

        @Override
        public void close() throws IOException {
            fd.close();
        }
    }

    private static final class FdOutputStream extends OutputStream {
        private final Fd fd;

        FdOutputStream(Fd fd) {
            this.fd = fd;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            ByteBuffer buf = ByteBuffer.wrap(b, off, len);
            while (buf.hasRemaining()) {
                try {
                    fd.write(buf);
                } catch (NativeException e) {
                    if (e.errno() != org.attenuator.linux.Errno.EINTR) {
                        throw e;
                    }
                }
            }
        }

        @Override
        public void close() throws IOException {
            fd.close();
        }
    }
}
