package org.attenuator.profile;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** Unknown JSON fields kept by the model: an unmodifiable, order-keeping copy (values may be null). */
final class Fields {

    private Fields() {
    }

    static Map<String, Object> copy(Map<String, Object> fields) {
        return fields == null || fields.isEmpty() ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(fields));
    }
}
