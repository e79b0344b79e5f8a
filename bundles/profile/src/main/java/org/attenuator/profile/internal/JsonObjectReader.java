package org.attenuator.profile.internal;

import com.fasterxml.jackson.databind.JsonNode;
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
 * field ({@code syscalls[3].args[0].index}). A field outside the object's known set is refused up
 * front: a misspelled field silently ignored would be a rule silently not enforced. Remembers which
 * fields were read; the rest (known fields other bundles read) are {@link #otherFields() kept}.
 */
final class JsonObjectReader {

    private static final BigInteger UINT64_MAX = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);

    private final JsonNode object;
    private final String path;
    private final Set<String> read = new HashSet<>();

    /** @param fields the fields this object may have; null when its field names are data (a table) */
    JsonObjectReader(JsonNode object, String path, Set<String> fields) throws CompileException {
        this.object = object;
        this.path = path;
        if (!object.isObject()) {
            throw new CompileException(Reason.WRONG_TYPE, path, "must be an object");
        }
        if (fields != null) {
            refuseUnknown(fields);
        }
    }

    private void refuseUnknown(Set<String> fields) throws CompileException {
        for (String field : (Iterable<String>) object::fieldNames) {
            if (!fields.contains(field)) {
                throw new CompileException(Reason.UNKNOWN_FIELD, path(field),
                        "unknown field" + FieldNames.closest(field, fields).map(f -> " (did you mean " + f + "?)").orElse(""));
            }
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

    /** A nested object's reader (its known {@code fields}, or null: any), or null when absent. */
    JsonObjectReader object(String field, Set<String> fields) throws CompileException {
        JsonNode n = node(field);
        return n == null ? null : new JsonObjectReader(n, path(field), fields);
    }

    /** Every field not read, as plain Java values (maps, lists, strings, numbers, booleans, null). */
    Map<String, Object> otherFields() {
        Map<String, Object> other = new LinkedHashMap<>();
        object.fields().forEachRemaining(e -> {
            if (!read.contains(e.getKey())) {
                other.put(e.getKey(), JsonTree.plain(e.getValue()));
            }
        });
        return other;
    }
}
