package org.attenuator.profile.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.attenuator.bpf.CompileException;
import org.attenuator.bpf.CompileException.Reason;

/**
 * Typed access to the fields of one JSON object at a known path, so every error names the exact
 * field ({@code syscalls[3].args[0].index}). Remembers which fields were read; the rest are
 * {@link #otherFields() kept} for writing back.
 */
final class JsonObjectReader {

    private static final BigInteger UINT64_MAX = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);

    private final ObjectMapper mapper;
    private final JsonNode object;
    private final String path;
    private final Set<String> read = new HashSet<>();

    JsonObjectReader(ObjectMapper mapper, JsonNode object, String path) throws CompileException {
        this.mapper = mapper;
        this.object = object;
        this.path = path;
        if (!object.isObject()) {
            throw new CompileException(Reason.WRONG_TYPE, path, "must be an object");
        }
    }

    String path(String field) {
        return path.isEmpty() ? field : path + "." + field;
    }

    /** The field, or null when absent or JSON null. */
    JsonNode node(String field) {
        read.add(field);
        JsonNode n = object.get(field);
        return n == null || n.isNull() ? null : n;
    }

    String string(String field) throws CompileException {
        JsonNode n = node(field);
        if (n != null && !n.isTextual()) {
            throw new CompileException(Reason.WRONG_TYPE, path(field), "must be a string");
        }
        return n == null ? null : n.asText();
    }

    String requiredString(String field) throws CompileException {
        String s = string(field);
        if (s == null) {
            throw new CompileException(Reason.MISSING_FIELD, path(field), "is required");
        }
        return s;
    }

    /** A non-negative int up to {@code max}, or null. */
    Integer unsignedInt(String field, int max) throws CompileException {
        JsonNode n = node(field);
        if (n == null) {
            return null;
        }
        long value = unsigned(n, path(field)).longValue();
        if (value > max) {
            throw new CompileException(Reason.INVALID_VALUE, path(field), "must be at most " + max);
        }
        return (int) value;
    }

    /** An unsigned 64-bit number held in a long, or {@code absent}. */
    long unsignedLong(String field, long absent) throws CompileException {
        JsonNode n = node(field);
        return n == null ? absent : unsigned(n, path(field)).longValue();
    }

    private static BigInteger unsigned(JsonNode n, String where) throws CompileException {
        if (!n.isIntegralNumber()) {
            throw new CompileException(Reason.WRONG_TYPE, where, "must be an integer");
        }
        BigInteger value = n.bigIntegerValue();
        if (value.signum() < 0) {
            throw new CompileException(Reason.NEGATIVE_VALUE, where, "must not be negative: " + value);
        }
        if (value.compareTo(UINT64_MAX) > 0) {
            throw new CompileException(Reason.INVALID_VALUE, where, "does not fit in 64 bits: " + value);
        }
        return value;
    }

    List<String> strings(String field) throws CompileException {
        List<String> out = new ArrayList<>();
        List<JsonNode> items = array(field);
        for (int i = 0; i < items.size(); i++) {
            if (!items.get(i).isTextual()) {
                throw new CompileException(Reason.WRONG_TYPE, path(field) + "[" + i + "]", "must be a string");
            }
            out.add(items.get(i).asText());
        }
        return out;
    }

    /** The elements of an array field; empty when absent or null. */
    List<JsonNode> array(String field) throws CompileException {
        JsonNode n = node(field);
        if (n == null) {
            return List.of();
        }
        if (!n.isArray()) {
            throw new CompileException(Reason.WRONG_TYPE, path(field), "must be an array");
        }
        List<JsonNode> out = new ArrayList<>();
        n.forEach(out::add);
        return out;
    }

    /** A nested object's reader, or null when absent. */
    JsonObjectReader object(String field) throws CompileException {
        JsonNode n = node(field);
        return n == null ? null : new JsonObjectReader(mapper, n, path(field));
    }

    /** Every field not read, as plain Java values (maps, lists, strings, numbers, booleans, null). */
    Map<String, Object> otherFields() {
        Map<String, Object> other = new LinkedHashMap<>();
        object.fields().forEachRemaining(e -> {
            if (!read.contains(e.getKey())) {
                other.put(e.getKey(), mapper.convertValue(e.getValue(), Object.class));
            }
        });
        return other;
    }
}
