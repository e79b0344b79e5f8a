package org.attenuator.profile.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonPointer;
import java.io.IOException;

/** Finds the line of a JSON path such as {@code syscalls[3].args[0].index} in a document's text. */
public final class JsonLines {

    private JsonLines() {
    }

    /** The 1-based line where the value at {@code path} (or, failing that, its nearest parent) starts; 0 if none. */
    public static int lineOf(JsonFactory factory, String text, String path) {
        for (String p = path; ; p = parent(p)) {
            int line = find(factory, text, pointer(p));
            if (line > 0 || p.isEmpty()) {
                return line;
            }
        }
    }

    private static int find(JsonFactory factory, String text, JsonPointer wanted) {
        try (JsonParser parser = factory.createParser(text)) {
            while (parser.nextToken() != null) {
                if (parser.currentToken().isStructStart() || parser.currentToken().isScalarValue()) {
                    JsonPointer here = parser.currentToken().isStructStart()
                            ? parser.getParsingContext().getParent().pathAsPointer()
                            : parser.getParsingContext().pathAsPointer();
                    if (here.equals(wanted)) {
                        return parser.currentTokenLocation().getLineNr();
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            return 0;  // a line number is a convenience; the path still locates the error
        }
        return 0;
    }

    private static JsonPointer pointer(String path) {
        if (path.isEmpty()) {
            return JsonPointer.empty();
        }
        return JsonPointer.compile("/" + path.replace("[", ".").replace("]", "").replace('.', '/'));
    }

    private static String parent(String path) {
        int cut = Math.max(path.lastIndexOf('.'), path.lastIndexOf('['));
        return cut < 0 ? "" : path.substring(0, cut);
    }
}
