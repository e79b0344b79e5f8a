package org.attenuator.profile;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import org.attenuator.bpf.CompileException;
import org.attenuator.bpf.CompileException.Reason;
import org.attenuator.bpf.SourceLocation;
import org.attenuator.profile.internal.JsonLines;
import org.attenuator.profile.internal.ProfileParser;

/** Reads OCI / Docker seccomp profiles; every error names the file, the line and the field. */
public final class ProfileReader {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private ProfileReader() {
    }

    /** Reads the file as {@link ProfileFiles#read} does (a regular file of at most 1 MiB) and parses it. */
    public static Profile read(Path file) throws CompileException {
        return parse(ProfileFiles.read(file), file.toString());
    }

    /** @param source how to name the text in errors (a file name, or e.g. {@code <stdin>}) */
    public static Profile parse(String text, String source) throws CompileException {
        JsonNode root;
        try {
            root = MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            int line = e.getLocation() == null ? 0 : e.getLocation().getLineNr();
            throw new CompileException(Reason.MALFORMED_JSON, new SourceLocation(source, "", line),
                    "malformed JSON: " + withoutContent(e.getOriginalMessage()));
        }
        if (root == null || root.isMissingNode()) {
            throw new CompileException(Reason.MALFORMED_JSON, new SourceLocation(source, "", 0), "empty document");
        }
        try {
            return new ProfileParser(MAPPER).parse(root);
        } catch (CompileException e) {
            throw locate(e, text, source);
        }
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
        return e.in(source, JsonLines.lineOf(MAPPER.getFactory(), text, e.location().path()));
    }
}
