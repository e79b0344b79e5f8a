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
 * One connection to attenuator-keeper (docs/keeper.md). Any thread may {@link #send};
 * sends are serialized, each line leaves in one sendmsg with its fd. One thread reads: replies are
 * read one byte per recvmsg, so an fd always arrives with the first byte of the line it belongs to.
 * {@link #shutdown} wakes that reader (EOF); only the reader's owner {@link #close}s.
 */
final class KeeperConnection implements AutoCloseable {

    private final UnixSocket socket;
    private final byte[] one = new byte[1];
    private final List<Fd> fds = new ArrayList<>(1);

    private KeeperConnection(UnixSocket socket) {
        this.socket = socket;
    }

    static KeeperConnection connect(Path path) throws NativeException {
        UnixSocket s = UnixSocket.connect(path.toString());
        try {
            s.setSendTimeout(Duration.ofSeconds(2)); // a keeper that stops reading must not hold our callers
            return new KeeperConnection(s);
        } catch (NativeException | RuntimeException e) {
            s.close();
            throw e;
        }
    }

    /** The process at the other end (SO_PEERCRED, as of connect). */
    UnixSocket.PeerCredentials peer() throws NativeException {
        return socket.peerCredentials();
    }

    /** Sends one request: its line and newline in one sendmsg, with its fd if it has one. */
    void send(KeeperRequest request) throws NativeException {
        byte[] b = (request.line() + "\n").getBytes(StandardCharsets.US_ASCII);
        if (b.length > KeeperRequest.MAX_LINE) {
            throw new IllegalArgumentException("line longer than " + KeeperRequest.MAX_LINE + " bytes: "
                    + request.line().substring(0, 40) + "...");
        }
        if (request.fd() != null) {
            socket.sendFully(b, request.fd());
        } else {
            socket.sendFully(b);
        }
    }

    /**
     * On a fresh connection: {@code HELLO}, the trees the keeper hands back (their listeners owned by
     * the caller), then {@code SHM} with the in-flight table.
     *
     * @throws KeeperBusyException another supervisor is connected
     */
    List<KeeperReply.Tree> handshake(Fd memfd) throws IOException {
        KeeperReply first;
        try {
            send(new KeeperRequest.Hello());
            first = read();
        } catch (NativeException e) {
            // a busy keeper says "ERR busy" and closes at once: the send may fail before we read that
            first = read();
            if (!isBusy(first)) {
                throw e;
            }
        }
        if (isBusy(first)) {
            throw new KeeperBusyException();
        }
        if (!(first instanceof KeeperReply.Trees announced)) {
            throw new IOException("keeper: unexpected answer to HELLO: " + (first == null ? "EOF" : first));
        }
        List<KeeperReply.Tree> back = new ArrayList<>();
        try {
            for (int i = 0; i < announced.count(); i++) {
                KeeperReply t = read();
                if (!(t instanceof KeeperReply.Tree tree)) {
                    throw new IOException("keeper: expected TREE, got " + (t == null ? "EOF" : t));
                }
                back.add(tree);
            }
            KeeperReply end = read();
            if (!(end instanceof KeeperReply.End)) {
                throw new IOException("keeper: expected END, got " + (end == null ? "EOF" : end));
            }
            send(new KeeperRequest.Shm(memfd));
            KeeperReply shm = read();
            if (!(shm instanceof KeeperReply.Ok)) {
                throw new IOException("keeper refused the in-flight table: " + (shm == null ? "EOF" : shm));
            }
        } catch (IOException | RuntimeException e) {
            for (KeeperReply.Tree b : back) {
                KeeperLink.closeQuietly(b.listener());
            }
            throw e;
        }
        return back;
    }

    private static boolean isBusy(KeeperReply r) {
        return r instanceof KeeperReply.Err err && err.reason().equals("busy");
    }

    /** The next reply, or null at EOF (the keeper closed, or {@link #shutdown}). Reader thread only. */
    KeeperReply read() throws IOException {
        StringBuilder text = new StringBuilder();
        Fd fd = null;
        try {
            while (true) {
                fds.clear();
                if (socket.receive(one, 0, 1, fds) == 0) {
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
                    Fd owned = fd;
                    fd = null;
                    return KeeperReply.parse(text.toString(), owned);
                }
                if (text.length() >= KeeperRequest.MAX_LINE || one[0] < 0x20 || one[0] > 0x7e) {
                    throw new KeeperReply.MalformedException(text.toString(), "not a line of printable ASCII within "
                            + KeeperRequest.MAX_LINE + " bytes");
                }
                text.append((char) one[0]);
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

    /** Wakes the reader with EOF and makes sends fail; the keeper sees the connection end. */
    void shutdown() {
        try {
            socket.shutdown();
        } catch (NativeException e) {
            // closed already, or the peer is gone: either way the reader sees the end
        }
    }

    /** Closes the socket: the keeper takes over (if it still holds listeners). Reader's owner only. */
    @Override
    public void close() {
        try {
            socket.close();
        } catch (NativeException e) {
            // already gone
        }
    }
}
