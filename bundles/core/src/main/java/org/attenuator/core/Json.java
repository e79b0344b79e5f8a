package org.attenuator.core;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.lang.reflect.Array;
import java.util.Collection;
import java.util.Map;

/**
 * The JSON every face prints for scripts ({@code --json} of the command line and the Karaf
 * console): one writer, so that every document is two-space indented UTF-8 text ending in a
 * newline, with its fields in the order they were put. The shapes are documented in docs/json.md.
 *
 * @since 0.5.0
 */
public final class Json {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    /** {@code "name": value}, and arrays one element a line, as people write JSON by hand. */
    private static final ObjectWriter WRITER = MAPPER.writer(new DefaultPrettyPrinter()
            .withSeparators(Separators.createDefaultInstance().withObjectFieldValueSpacing(Separators.Spacing.AFTER))
            .withArrayIndenter(DefaultIndenter.SYSTEM_LINEFEED_INSTANCE));

    private Json() {
    }

    /** An empty object; fields keep the order they are put in. */
    public static ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    public static ArrayNode array() {
        return MAPPER.createArrayNode();
    }

    /**
     * A plain value as JSON: strings, numbers and booleans as they are, collections and arrays as
     * lists, maps as objects, null as null, anything else as its text (never a serialized Java object).
     */
    public static JsonNode value(Object value) {
        JsonNodeFactory f = MAPPER.getNodeFactory();
        if (value == null) {
            return f.nullNode();
        }
        if (value instanceof Boolean b) {
            return f.booleanNode(b);
        }
        if (value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte) {
            return f.numberNode(((Number) value).longValue());
        }
        if (value instanceof Double || value instanceof Float) {
            return f.numberNode(((Number) value).doubleValue());
        }
        if (value instanceof Map<?, ?> m) {
            ObjectNode object = object();
            m.forEach((k, v) -> object.set(String.valueOf(k), value(v)));
            return object;
        }
        if (value instanceof Collection<?> c) {
            ArrayNode list = array();
            c.forEach(v -> list.add(value(v)));
            return list;
        }
        if (value.getClass().isArray()) {
            ArrayNode list = array();
            for (int i = 0; i < Array.getLength(value); i++) {
                list.add(value(Array.get(value, i)));
            }
            return list;
        }
        return f.textNode(value.toString());
    }

    /** The document's text, ending in a newline. */
    public static String write(JsonNode document) {
        try {
            return WRITER.writeValueAsString(document) + "\n";
        } catch (JsonProcessingException e) {
            // a tree of nodes always serializes; this would be a bug in Jackson
            throw new IllegalStateException("cannot write JSON: " + e.getMessage(), e);
        }
    }
}
