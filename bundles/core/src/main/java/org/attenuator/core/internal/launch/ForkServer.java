package org.attenuator.core.internal.launch;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.attenuator.linux.ChildProcess;
import org.attenuator.linux.ExitStatus;
import org.attenuator.linux.Fd;
import org.attenuator.linux.NativeException;
import org.attenuator.linux.Pidfd;
import org.attenuator.linux.UnixSocket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running {@code attenuator-exec --serve SOCKET} (see its top comment for the protocol): this
 * process's child, connected, with a reader thread that dispatches the server's lines. Requests
 * are serialized; each gets "pid P" (with the child's pidfd) or "error WHY". Exit reports complete
 * the child's future. When the server dies, every pending future fails with {@link Gone}.
 */
final class ForkServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ForkServer.class);
    private static final Duration START_TIMEOUT = Duration.ofSeconds(10);
    private static final String GREETING = "attenuator-exec 4 serving pid=";

    /** The server died or its connection broke. */
    static final class Gone extends IOException {
        private static final long serialVersionUID = 1L;

        Gone(String message) {
            super(message);
        }
    }

    /** A forked child: its pid, its pidfd (owned by the caller) and its exit report. */
    record Spawned(int pid, Pidfd pidfd, CompletableFuture<ExitStatus> exit) {}

    private final ChildProcess process;
    private final PrivateDir dir;
    private final UnixSocket in;
    private final UnixSocket out;
    private final Thread reader;
    private final Map<Integer, CompletableFuture<ExitStatus>> exits = new ConcurrentHashMap<>();
    private final LinkedBlockingQueue<Object> replies = new LinkedBlockingQueue<>();
    private volatile boolean gone;
    /** Set by {@link #closeWhenIdle}: run once the server is gone. Guarded by drainLock, not this (exec holds this while it waits for the reader). */
    private Runnable onGone;
    private final Object drainLock = new Object();

    private ForkServer(ChildProcess process, PrivateDir dir, UnixSocket in, UnixSocket out) {
        this.process = process;
        this.dir = dir;
        this.in = in;
        this.out = out;
        this.reader = new Thread(this::read, "attenuator-exec-server-" + process.pid());
        reader.setDaemon(true);
    }

    /**
     * Spawns the server (call from a thread that lives as long as the server should: the server's
     * PR_SET_PDEATHSIG fires when the spawning thread ends), connects and checks it.
     */
    static ForkServer start(Path exec, Path runBase) throws IOException {
        PrivateDir dir = PrivateDir.create(runBase);
        ChildProcess process = null;
        UnixSocket in = null;
        boolean ok = false;
        try {
            String socket = dir.path().resolve("serve.sock").toString();
            process = ChildProcess.spawn(List.of(exec.toString(), "--serve", socket), System.getenv(), null, null, null);
            long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
            long pause = 20_000;
            while (in == null) {
                try {
                    in = UnixSocket.connect(socket);
                } catch (NativeException e) {
                    ExitStatus st = process.poll();
                    if (st != null) {
                        throw new IOException(exec + " --serve ended at start (status " + st.shellStatus() + ")");
                    }
                    if (System.nanoTime() - deadline > 0) {
                        throw new IOException("timed out connecting to " + exec + " --serve: " + e.getMessage());
                    }
                    LockSupport.parkNanos(pause);
                    pause = Math.min(pause * 2, 2_000_000);
                }
            }
            UnixSocket.PeerCredentials peer = in.peerCredentials();
            if (peer.pid() != process.pid()) {
                throw new IOException("fork server socket: peer pid " + peer.pid() + " is not the server " + process.pid());
            }
            in.setReceiveTimeout(START_TIMEOUT);
            String greeting = readLine(in);
            if (!greeting.equals(GREETING + process.pid())) {
                throw new IOException("fork server: unexpected greeting " + greeting);
            }
            in.setReceiveTimeout(Duration.ZERO);
            ForkServer server = new ForkServer(process, dir, in, UnixSocket.adopt(in.dup()));
            server.reader.start();
            ok = true;
            return server;
        } finally {
            if (!ok) {
                if (in != null) {
                    LauncherService.closeQuietly(in);
                }
                if (process != null) {
                    process.close();
                }
                dir.close();
            }
        }
    }

    private static String readLine(UnixSocket s) throws IOException {
        byte[] buf = new byte[256];
        int len = 0;
        while (len == 0 || buf[len - 1] != '\n') {
            if (len == buf.length) {
                throw new IOException("fork server: line too long");
            }
            List<Fd> fds = new ArrayList<>();
            int n = s.receive(buf, len, 1, fds);
            fds.forEach(LauncherService::closeQuietly);
            if (n == 0) {
                throw new Gone("fork server: connection closed");
            }
            len += n;
        }
        return new String(buf, 0, len - 1, StandardCharsets.UTF_8);
    }

    int pid() {
        return process.pid();
    }

    boolean alive() {
        return !gone;
    }

    /**
     * Sends one request ({@code payload}, fds: channel, stdin, stdout, stderr) and returns the
     * forked child. An "error" reply is an IOException; a dead server is {@link Gone} (nothing
     * was forked then, unless the server died right after forking: its child then has no report).
     */
    synchronized Spawned exec(byte[] payload, Fd... fds) throws IOException, InterruptedException {
        if (gone) {
            throw new Gone("fork server is gone");
        }
        byte[] frame = new byte[4 + payload.length];
        java.nio.ByteBuffer.wrap(frame).order(java.nio.ByteOrder.nativeOrder()).putInt(payload.length);
        System.arraycopy(payload, 0, frame, 4, payload.length);
        try {
            out.sendFully(frame, fds);
        } catch (NativeException e) {
            gone = true; // EPIPE: it died and the reader has not seen the EOF yet; the next launch starts another
            throw new Gone("fork server: " + e.getMessage());
        }
        Object reply = replies.poll(START_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        if (reply == null) {
            throw new IOException("fork server: no reply");
        }
        if (reply instanceof Spawned s) {
            return s;
        }
        if (reply instanceof Gone g) {
            throw new Gone(g.getMessage());
        }
        throw new IOException("fork server: " + reply);
    }

    /** Sends raw bytes, for tests of the server's error handling; returns the reply line. */
    synchronized String sendRaw(byte[] frame) throws IOException, InterruptedException {
        out.sendFully(frame);
        return String.valueOf(replies.poll(START_TIMEOUT.toSeconds(), TimeUnit.SECONDS));
    }

    private void read() {
        ArrayDeque<Fd> fds = new ArrayDeque<>();
        byte[] buf = new byte[4096];
        int len = 0;
        String why = "fork server " + process.pid() + " ended";
        try {
            while (true) {
                List<Fd> got = new ArrayList<>();
                int n = in.receive(buf, len, buf.length - len, got);
                fds.addAll(got);
                if (n == 0) {
                    break;
                }
                len += n;
                int start = 0;
                for (int i = 0; i < len; i++) {
                    if (buf[i] == '\n') {
                        dispatch(new String(buf, start, i - start, StandardCharsets.UTF_8), fds);
                        start = i + 1;
                    }
                }
                System.arraycopy(buf, start, buf, 0, len - start);
                len -= start;
                if (len == buf.length) {
                    why = "fork server: line too long";
                    break;
                }
            }
        } catch (NativeException | RuntimeException e) {
            why = "fork server connection: " + e.getMessage();
        } finally {
            gone = true;
            fds.forEach(LauncherService::closeQuietly);
            replies.add(new Gone(why));
            Gone g = new Gone(why + ": exit status lost");
            exits.values().forEach(f -> f.completeExceptionally(g));
            exits.clear();
            LauncherService.closeQuietly(in);
            LauncherService.closeQuietly(out);
            try {
                process.close(); // reaps it (kills it first if it still runs)
            } catch (NativeException e) {
                LOG.debug("reaping the fork server", e);
            }
            try {
                dir.close();
            } catch (IOException e) {
                LOG.debug("removing {}", dir.path(), e);
            }
            Runnable then;
            synchronized (drainLock) {
                then = onGone;
                onGone = null;
            }
            if (then != null) {
                then.run();
            }
        }
    }

    /**
     * Stops the server once no target it forked runs any more, so that their exit statuses still
     * arrive (a launcher reactivated by a configuration change must not lose them); {@code then}
     * runs when it is gone. New requests should not be sent any more.
     */
    void closeWhenIdle(Runnable then) {
        boolean now;
        synchronized (drainLock) {
            onGone = then;
            now = exits.isEmpty();
        }
        if (now) {
            close();
        }
    }

    private void kill() {
        try {
            if (!gone) {
                process.signal(ChildProcess.SIGKILL);
            }
        } catch (NativeException e) {
            // already gone
        }
    }

    private void dispatch(String line, ArrayDeque<Fd> fds) {
        String[] f = line.split(" ");
        try {
            if (f[0].equals("pid") && f.length == 2) {
                int pid = Integer.parseInt(f[1]);
                Fd fd = fds.poll();
                if (fd == null) {
                    replies.add("no pidfd with " + line);
                    return;
                }
                CompletableFuture<ExitStatus> exit = new CompletableFuture<>();
                exits.put(pid, exit); // before any report of it is read
                replies.add(new Spawned(pid, Pidfd.adopt(fd, pid), exit));
            } else if (f[0].equals("exit") && f.length == 4) {
                int pid = Integer.parseInt(f[1]);
                CompletableFuture<ExitStatus> exit = exits.remove(pid);
                if (exit != null) {
                    exit.complete(new ExitStatus(pid, Integer.parseInt(f[2]), Integer.parseInt(f[3])));
                }
                synchronized (drainLock) {
                    if (onGone != null && exits.isEmpty()) {
                        kill(); // the last target of a closing launcher has ended
                    }
                }
            } else if (f[0].equals("error")) {
                replies.add(line.substring(6));
            } else {
                LOG.warn("fork server {}: unexpected line {}", process.pid(), line);
            }
        } catch (NumberFormatException e) {
            LOG.warn("fork server {}: unexpected line {}", process.pid(), line);
        }
    }

    /** Kills the server (its children keep running, their reports are lost) and waits for the reader. */
    @Override
    public void close() {
        kill();
        try {
            reader.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
