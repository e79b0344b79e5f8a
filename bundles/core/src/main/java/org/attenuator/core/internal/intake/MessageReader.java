package org.attenuator.core.internal.intake;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.io.JsonEOFException;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import org.attenuator.core.IntakeSettings;
import org.attenuator.linux.Errno;
import org.attenuator.linux.Fd;
import org.attenuator.linux.NativeException;
import org.attenuator.linux.UnixSocket;

/**
 * Reads one agent message: bytes until the JSON document is complete or EOF comes (the runtime may
 * split the document over several writes), the fds that travel with them, within an overall
 * deadline and a size limit.
 *
 * <p>The document's end, not EOF, ends the message: runc 1.1.5 ({@code sendContainerProcessState})
 * sends through a dup of its connection and closes only the dup, so with {@code runc run} EOF
 * comes when runc exits, i.e. when the container ended. Waiting for EOF would leave the container's
 * notifications unanswered until the stall timeout.
 */
final class MessageReader {

    private static final JsonFactory JSON = new JsonFactory();

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
            if (isCompleteDocument(buffer, length)) {
                break;
            }
        }
        if (length == 0) {
            throw new MalformedMessageException("empty message");
        }
        return OciMessage.parse(buffer, length);
    }

    /**
     * Whether {@code buffer} holds one whole JSON object (what may follow it is ignored).
     *
     * @throws MalformedMessageException if what came so far can never become a JSON object
     */
    static boolean isCompleteDocument(byte[] buffer, int length) throws MalformedMessageException {
        try (JsonParser parser = JSON.createParser(buffer, 0, length)) {
            JsonToken first = parser.nextToken();
            if (first == null) {
                return false; // only whitespace so far
            }
            if (first != JsonToken.START_OBJECT) {
                throw new MalformedMessageException("not a JSON object");
            }
            parser.skipChildren();
            return true;
        } catch (JsonEOFException e) {
            return false; // more is on its way
        } catch (JsonParseException e) {
            throw new MalformedMessageException("not JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new MalformedMessageException("unreadable: " + e.getMessage());
        }
    }

    private MalformedMessageException stalled(int length) {
        return new MalformedMessageException("no complete message within " + timeout.toMillis() + " ms (" + length
                + " bytes came)");
    }
}
