package org.attenuator.core.internal.intake;

import java.time.Duration;
import java.util.List;
import org.attenuator.core.IntakeSettings;
import org.attenuator.linux.Errno;
import org.attenuator.linux.Fd;
import org.attenuator.linux.NativeException;
import org.attenuator.linux.UnixSocket;

/**
 * Reads one agent message: bytes until EOF (the runtime may split the document over several
 * writes), the fds that travel with them, within an overall deadline and a size limit.
 */
final class MessageReader {

    private final UnixSocket connection;
    private final Duration timeout;

    MessageReader(UnixSocket connection, Duration timeout) {
        this.connection = connection;
        this.timeout = timeout;
    }

    /**
     * @param fds receives every fd that came, owned by the caller, also when this fails
     */
    OciMessage read(List<Fd> fds) throws MalformedMessageException, NativeException {
        byte[] buffer = new byte[IntakeSettings.MAX_MESSAGE_BYTES + 1];
        int length = 0;
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long remaining = deadline - System.nanoTime();
            if (remaining <= 0) {
                throw stalled(length);
            }
            // The deadline covers the whole message: a peer sending a byte now and then cannot hold a reader.
            connection.setReceiveTimeout(Duration.ofNanos(Math.max(remaining, 1000)));
            int n;
            try {
                n = connection.receive(buffer, length, buffer.length - length, fds);
            } catch (NativeException e) {
                if (e.errno() == Errno.EAGAIN) {
                    throw stalled(length);
                }
                throw e;
            }
            if (n == 0) {
                break;
            }
            length += n;
            if (length > IntakeSettings.MAX_MESSAGE_BYTES) {
                throw new MalformedMessageException("message over " + IntakeSettings.MAX_MESSAGE_BYTES + " bytes");
            }
        }
        if (length == 0) {
            throw new MalformedMessageException("empty message");
        }
        return OciMessage.parse(buffer, length);
    }

    private MalformedMessageException stalled(int length) {
        return new MalformedMessageException("no complete message within " + timeout.toMillis() + " ms (" + length
                + " bytes came)");
    }
}
