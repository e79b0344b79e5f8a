package org.attenuator.core.internal.intake;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.async.ByteArrayFeeder;
import java.io.IOException;

/**
 * Finds where the first JSON object of a byte stream ends, fed one chunk at a time as the chunks
 * arrive. Each byte is looked at once (a peer sending one byte at a time costs as much as one
 * sending all at once), and the parser's nesting limit holds against deep nesting.
 */
final class DocumentBoundary {

    private static final JsonFactory JSON = new JsonFactory();

    private final JsonParser parser;
    private final ByteArrayFeeder feeder;
    private int depth;
    private boolean started;

    DocumentBoundary() {
        try {
            parser = JSON.createNonBlockingByteArrayParser();
        } catch (IOException e) {
            throw new IllegalStateException("Jackson's non-blocking parser: " + e.getMessage(), e);
        }
        feeder = (ByteArrayFeeder) parser.getNonBlockingInputFeeder();
    }

    /**
     * Takes the next chunk ({@code bytes} must not change until this returns).
     *
     * @return whether the object is now complete (what follows it is ignored)
     * @throws MalformedMessageException if what came so far can never become a JSON object
     */
    boolean feed(byte[] bytes, int offset, int length) throws MalformedMessageException {
        try {
            feeder.feedInput(bytes, offset, offset + length);
            JsonToken token;
            while ((token = parser.nextToken()) != JsonToken.NOT_AVAILABLE && token != null) {
                if (!started && token != JsonToken.START_OBJECT) {
                    throw new MalformedMessageException("not a JSON object");
                }
                started = true;
                if (token.isStructStart()) {
                    depth++;
                } else if (token.isStructEnd() && --depth == 0) {
                    return true;
                }
            }
            return false;
        } catch (JsonProcessingException e) {
            throw new MalformedMessageException("not JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new MalformedMessageException("unreadable: " + e.getMessage());
        }
    }
}
