package org.attenuator.profile;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Path;
import org.attenuator.bpf.CompileException;
import org.attenuator.bpf.CompileException.Reason;
import org.attenuator.bpf.SourceLocation;
import org.attenuator.profile.internal.JsonLines;
import org.attenuator.profile.internal.JsonTree;
import org.attenuator.profile.internal.ProfileParser;

/**
 * Reads OCI / Docker seccomp profiles; every error names the file, the line and the field. Only
 * one JSON document, without a field given twice or a field the format does not have: what a
 * reader would take for the profile is what is enforced.
 */
public final class ProfileReader {

    /** jackson-core's parser alone (JsonTree): no ObjectMapper to set up at every start. */
    private static final JsonFactory JSON = JsonFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

    private ProfileReader() {
    }

    /** Reads the file as {@link ProfileFiles#read} does (a regular file of at most 1 MiB) and parses it. */
    public static Profile read(Path file) throws CompileException {
        return parse(ProfileFiles.read(file), file.toString());
    }

    /** @param source how to name the text in errors (a file name, or e.g. {@code <stdin>}) */
    public static Profile parse(String text, String source) throws CompileException {
        JsonNode root = document(text, source);
        if (root == null || root.isMissingNode()) {
            throw new CompileException(Reason.MALFORMED_JSON, new SourceLocation(source, "", 0), "empty document");
        }
        try {
            return new ProfileParser().parse(root);
        } catch (CompileException e) {
            throw locate(e, text, source);
        }
    }

    /** The one JSON value of {@code text}; anything after it but white space is refused. */
    private static JsonNode document(String text, String source) throws CompileException {
        try (JsonParser parser = JSON.createParser(text)) {
            JsonNode root = JsonTree.read(parser);
            if (root != null && hasTrailer(parser)) {
                throw malformed(source, parser.currentLocation().getLineNr(), "text after the end of the document");
            }
            return root;
        } catch (JsonProcessingException e) {
            int line = e.getLocation() == null ? 0 : e.getLocation().getLineNr();
            throw malformed(source, line, reason(e));
        } catch (IOException e) {
            throw malformed(source, 0, "cannot be parsed");
        }
    }

    private static String reason(JsonProcessingException e) {
        if (e.getOriginalMessage().startsWith("Duplicate field") && e.getProcessor() instanceof JsonParser parser) {
            return "field \"" + parser.getParsingContext().getCurrentName() + "\" given twice";
        }
        return withoutContent(e.getOriginalMessage());
    }

    private static boolean hasTrailer(JsonParser parser) throws IOException {
        try {
            return parser.nextToken() != null;
        } catch (JsonProcessingException e) {
            return true;  // not even a token, but text all the same
        }
    }

    private static CompileException malformed(String source, int line, String reason) {
        return new CompileException(Reason.MALFORMED_JSON, new SourceLocation(source, "", line), "malformed JSON: " + reason);
    }

    /**
     * Jackson's reason without the text it quotes ({@code Unrecognized token 'root:$6$...'}): a
     * file that is not a profile (someone's {@code /etc/shadow}) must not reach a log through its error.
     */
    static String withoutContent(String reason) {
        int quote = reason.length();
        for (char c : new char[] {'\'', '('}) {
            int at = reason.indexOf(c);
            if (at >= 0) {
                quote = Math.min(quote, at);
            }
        }
        return reason.substring(0, quote).strip().replaceFirst(":$", "");
    }

    /** The same error with the file name and the line of its JSON path in {@code text}. */
    public static CompileException locate(CompileException e, String text, String source) {
        return e.in(source, JsonLines.lineOf(JSON, text, e.location().path()));
    }
}
