package org.attenuator.profile;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
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

    public static Profile read(Path file) throws CompileException {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new CompileException(Reason.UNREADABLE, new SourceLocation(file.toString(), "", 0), "no such file");
        } catch (AccessDeniedException e) {
            throw new CompileException(Reason.UNREADABLE, new SourceLocation(file.toString(), "", 0), "permission denied");
        } catch (IOException e) {
            throw new CompileException(Reason.UNREADABLE, new SourceLocation(file.toString(), "", 0),
                    "cannot read: " + (e.getMessage() != null ? e.getMessage() : e.toString()));
        }
        return parse(text, file.toString());
    }

    /** @param source how to name the text in errors (a file name, or e.g. {@code <stdin>}) */
    public static Profile parse(String text, String source) throws CompileException {
        JsonNode root;
        try {
            root = MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            int line = e.getLocation() == null ? 0 : e.getLocation().getLineNr();
            throw new CompileException(Reason.MALFORMED_JSON, new SourceLocation(source, "", line),
                    "malformed JSON: " + e.getOriginalMessage());
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

    /** The same error with the file name and the line of its JSON path in {@code text}. */
    public static CompileException locate(CompileException e, String text, String source) {
        return e.in(source, JsonLines.lineOf(MAPPER.getFactory(), text, e.location().path()));
    }
}
