package org.attenuator.profile.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import org.attenuator.profile.BuiltinProfiles;
import org.junit.jupiter.api.Test;

/** JsonTree builds what jackson-databind's ObjectMapper builds from the same text, node types included. */
class JsonTreeTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String EVERY_KIND = """
            {"s": "text", "i": 7, "neg": -2147483649, "big": 18446744073709551615, "f": 1.5, "e": 2e400,
             "t": true, "no": false, "nil": null, "empty": {}, "none": [],
             "nested": [{"a": [1, [2, {"b": null}]], "c": {"d": {"e": []}}}, "x", 3],
             "after": {"last": [{"deep": {"deeper": 0}}]}}
            """;

    @Test
    void theTreeAndItsPlainValuesAreTheMappers() throws IOException {
        for (String text : new String[] {EVERY_KIND, BuiltinProfiles.json(BuiltinProfiles.DOCKER_DEFAULT).orElseThrow(),
                "[1, {\"a\": 2}]", "\"scalar\"", "42"}) {
            JsonNode ours = read(text);
            JsonNode theirs = MAPPER.readTree(text);
            assertEquals(theirs, ours);
            assertEquals(types(theirs), types(ours), "node classes");
            assertEquals(MAPPER.convertValue(theirs, Object.class), JsonTree.plain(ours));
        }
    }

    @Test
    void anEmptyDocumentIsNoTree() throws IOException {
        assertNull(read("  \n"));
    }

    private static JsonNode read(String text) throws IOException {
        try (JsonParser parser = MAPPER.getFactory().createParser(text)) {
            return JsonTree.read(parser);
        }
    }

    /** The node classes in document order, which equals() partly ignores (an int 7 equals a long 7 in some versions). */
    private static String types(JsonNode node) {
        StringBuilder out = new StringBuilder(node.getClass().getSimpleName());
        if (node.isContainerNode()) {
            out.append('(');
            node.fields().forEachRemaining(e -> out.append(e.getKey()).append('=').append(types(e.getValue())).append(' '));
            if (node.isArray()) {
                node.forEach(e -> out.append(types(e)).append(' '));
            }
            out.append(')');
        }
        return out.toString();
    }
}
