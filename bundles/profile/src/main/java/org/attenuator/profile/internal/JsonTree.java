package org.attenuator.profile.internal;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A JSON document as a {@link JsonNode} tree, and a tree's values as plain Java values, read
 * straight from jackson-core's parser: the nodes an {@code ObjectMapper} would build (int, long and
 * big integer nodes by the number's size, doubles for fractions), without building the mapper. Its
 * first use in a process initialised jackson-databind's configuration and date formats, which cost
 * a start-up about as much as reading the default profile did. {@link #read} is iterative: the
 * parser's nesting limit, not the stack, bounds a document's depth.
 */
public final class JsonTree {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private JsonTree() {
    }

    /** The next value of {@code parser}; null at the end of its input. */
    public static JsonNode read(JsonParser parser) throws IOException {
        JsonToken token = parser.nextToken();
        if (token == null) {
            return null;
        }
        Deque<JsonNode> open = new ArrayDeque<>();
        while (true) {
            JsonNode value;
            switch (token) {
                case START_OBJECT -> {
                    open.push(NODES.objectNode());
                    token = parser.nextToken();
                    continue;
                }
                case START_ARRAY -> {
                    open.push(NODES.arrayNode());
                    token = parser.nextToken();
                    continue;
                }
                case FIELD_NAME -> {
                    token = parser.nextToken();
                    continue;
                }
                case END_OBJECT, END_ARRAY -> value = open.pop();
                default -> value = scalar(parser, token);
            }
            if (open.isEmpty()) {
                return value;
            }
            JsonNode parent = open.peek();
            if (parent instanceof ObjectNode object) {
                object.set(parser.currentName(), value); // a scalar's field, or the field of the container just ended
            } else {
                ((ArrayNode) parent).add(value);
            }
            token = parser.nextToken();
        }
    }

    private static JsonNode scalar(JsonParser parser, JsonToken token) throws IOException {
        return switch (token) {
            case VALUE_STRING -> NODES.textNode(parser.getText());
            case VALUE_NUMBER_INT -> switch (parser.getNumberType()) {
                case INT -> NODES.numberNode(parser.getIntValue());
                case LONG -> NODES.numberNode(parser.getLongValue());
                default -> NODES.numberNode(parser.getBigIntegerValue());
            };
            case VALUE_NUMBER_FLOAT -> parser.getNumberType() == JsonParser.NumberType.BIG_DECIMAL
                    ? NODES.numberNode(parser.getDecimalValue()) : NODES.numberNode(parser.getDoubleValue());
            case VALUE_TRUE -> NODES.booleanNode(true);
            case VALUE_FALSE -> NODES.booleanNode(false);
            case VALUE_NULL -> NODES.nullNode();
            default -> throw new IOException("unexpected token " + token);
        };
    }

    /** {@code node} as maps (in field order), lists, strings, numbers, booleans and null. */
    public static Object plain(JsonNode node) {
        if (node.isObject()) {
            Map<String, Object> map = new LinkedHashMap<>();
            node.fields().forEachRemaining(e -> map.put(e.getKey(), plain(e.getValue())));
            return map;
        }
        if (node.isArray()) {
            List<Object> list = new ArrayList<>();
            node.forEach(e -> list.add(plain(e)));
            return list;
        }
        if (node.isNumber()) {
            return node.numberValue();
        }
        if (node.isBoolean()) {
            return node.booleanValue();
        }
        return node.isNull() ? null : node.asText();
    }
}
