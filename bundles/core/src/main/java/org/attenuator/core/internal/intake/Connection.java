package org.attenuator.core.internal.intake;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.attenuator.core.IntakeSettings;
import org.attenuator.linux.Errno;
import org.attenuator.linux.Fd;
import org.attenuator.linux.NativeException;
import org.attenuator.linux.UnixSocket;

/**
 * One peer's connection while its message is on its way: the bytes and fds so far, read without
 * waiting whenever epoll says there are more, and the moment it must be complete by.
 */
final class Connection {

    /** runc and {@code run --agent} send one fd; a peer piling up more is refused at once. */
    static final int MAX_FDS = 8;
    private static final int FIRST_BUFFER = 4096;

    final UnixSocket socket;
    final UnixSocket.PeerCredentials peer;
    final long deadlineNanos;
    /** The custodian's ticket for a connection it accepted and handed over, or 0. */
    final long ticket;
    /** Every fd that came so far, owned here until {@link #takeFds()}. */
    private final List<Fd> fds = new ArrayList<>();
    private final DocumentBoundary boundary = new DocumentBoundary();
    private byte[] buffer = new byte[FIRST_BUFFER];
    private int length;

    Connection(UnixSocket socket, UnixSocket.PeerCredentials peer, long deadlineNanos, long ticket) {
        this.socket = socket;
        this.peer = peer;
        this.deadlineNanos = deadlineNanos;
        this.ticket = ticket;
    }

    /** Bytes buffered so far. */
    int length() {
        return length;
    }

    /**
     * Reads what is there now.
     *
     * @return true once the message is complete: its JSON object ended, or the peer closed
     * @throws MalformedMessageException if it grew too large, brought too many fds, or is not JSON
     */
    boolean readAvailable() throws MalformedMessageException, NativeException {
        while (true) {
            if (length == buffer.length) {
                buffer = Arrays.copyOf(buffer, Math.min(buffer.length * 2, IntakeSettings.MAX_MESSAGE_BYTES + 1));
            }
            int n;
            try {
                n = socket.receive(buffer, length, buffer.length - length, fds);
            } catch (NativeException e) {
                if (e.errno() == Errno.EAGAIN) {
                    return false;
                }
                throw e;
            }
            if (fds.size() > MAX_FDS) {
                throw new MalformedMessageException(fds.size() + " fds came, more than the " + MAX_FDS + " a message may carry");
            }
            if (n == 0) {
                if (length == 0) {
                    throw new MalformedMessageException("empty message");
                }
                return true;
            }
            length += n;
            if (length > IntakeSettings.MAX_MESSAGE_BYTES) {
                throw new MalformedMessageException("message over " + IntakeSettings.MAX_MESSAGE_BYTES + " bytes");
            }
            if (boundary.feed(buffer, length - n, n)) {
                return true;
            }
        }
    }

    OciMessage message() throws MalformedMessageException {
        return OciMessage.parse(buffer, length);
    }

    /** The fds that came; the caller owns them from now on. */
    List<Fd> takeFds() {
        List<Fd> taken = new ArrayList<>(fds);
        fds.clear();
        return taken;
    }

    /** Closes the socket and every fd still here. */
    void close() {
        fds.forEach(Closing::quietly);
        fds.clear();
        Closing.quietly(socket);
    }

    String describe() {
        return "pid " + peer.pid() + " uid " + peer.uid();
    }
}
