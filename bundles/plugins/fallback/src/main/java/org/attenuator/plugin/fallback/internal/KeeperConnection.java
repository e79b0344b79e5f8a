package org.attenuator.plugin.fallback.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.attenuator.linux.Fd;
import org.attenuator.linux.NativeException;
import org.attenuator.linux.UnixSocket;

/**
 * One connection to attenuator-keeper (protocol 1, docs/keeper.md): lines of printable ASCII, an
 * fd travelling with the first byte of its line. Replies are read one byte per recvmsg, so an fd
 * always arrives with the first byte of the line it belongs to. Sends are serialized; reads belong
 * to one thread.
 */
final class KeeperConnection implements AutoCloseable {

    /** The keeper's line limit, with the newline. */
    static final int MAX_LINE = 4096;

    /** One line received, with the fd that came with it (owned by the caller), or null. */
    record Line(String text, Fd fd) {
    }

    private final UnixSocket socket;
    private final byte[] one = new byte[1];
    private final List<Fd> fds = new ArrayList<>(1);
    private volatile boolean closed;

    private KeeperConnection(UnixSocket socket) {
        this.socket = socket;
    }

    static KeeperConnection connect(Path path) throws NativeException {
        UnixSocket s = UnixSocket.connect(path.toString());
        boolean success = false;
        try {
            s.setSendTimeout(Duration.ofSeconds(2)); // a keeper that stops reading must not hold our callers
            s.setReceiveTimeout(Duration.ofMillis(250)); // close() cannot wake a blocked recvmsg: poll for it
            success = true;
            return new KeeperConnection(s);
        } finally {
            if (!success) {
                s.close();
            }
        }
    }

    /** The keeper's pid (SO_PEERCRED). */
    int peerPid() throws NativeException {
        return socket.peerCredentials().pid();
    }

    /** Sends one line (the newline is added) in one sendmsg, with {@code fd} if not null. */
    synchronized void send(String line, Fd fd) throws NativeException {
        byte[] b = (line + "\n").getBytes(StandardCharsets.US_ASCII);
        if (b.length > MAX_LINE) {
            throw new IllegalArgumentException("line longer than " + MAX_LINE + " bytes: " + line.substring(0, 40) + "...");
        }
        if (fd != null) {
            socket.sendFully(b, fd);
        } else {
            socket.sendFully(b);
        }
    }

    /** The next line, or null at EOF. */
    Line readLine() throws IOException {
        StringBuilder text = new StringBuilder();
        Fd fd = null;
        try {
            while (true) {
                fds.clear();
                int n;
                try {
                    n = socket.receive(one, 0, 1, fds);
                } catch (NativeException e) {
                    if (e.errno() == org.attenuator.linux.Errno.EAGAIN && !closed) {
                        continue; // the receive timeout: nothing came, and we are still open
                    }
                    throw e;
                }
                if (n == 0) {
                    closeAll(fds);
                    if (fd != null) {
                        fd.close();
                    }
                    return null;
                }
                for (Fd f : fds) {
                    if (fd == null && text.length() == 0) {
                        fd = f;
                    } else {
                        f.close(); // the protocol has at most one fd per line, on its first byte
                    }
                }
                if (one[0] == '\n') {
                    Line line = new Line(text.toString(), fd);
                    fd = null;
                    return line;
                }
                if (text.length() >= MAX_LINE) {
                    throw new IOException("keeper line longer than " + MAX_LINE + " bytes");
                }
                text.append((char) (one[0] & 0xff));
            }
        } catch (IOException | RuntimeException e) {
            closeAll(fds);
            if (fd != null) {
                fd.close();
            }
            throw e;
        }
    }

    private static void closeAll(List<Fd> list) throws NativeException {
        for (Fd f : list) {
            f.close();
        }
        list.clear();
    }

    /** Closes the socket: the keeper takes over (if it still holds listeners). */
    @Override
    public void close() {
        closed = true;
        try {
            socket.close();
        } catch (NativeException e) {
            // already gone
        }
    }
}
