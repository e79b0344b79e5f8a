package org.attenuator.core.internal.intake;

import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.attenuator.api.SupervisedTree;

/**
 * The tree properties of an agent message, for handler targeting: {@code meta.KEY} from the
 * metadata's key=value lines, {@code annotation.KEY} from the container's annotations, the
 * container id, and {@code tree.profile}: the profile the intake resolved (a name, or the file in a
 * profile directory it was read from), never a path a peer wrote that led nowhere.
 */
final class TreeProperties {

    static final String PROFILE_KEY = "profile";
    /** Metadata: extra apply-point triggers, comma-separated (what {@code run --agent --apply-point} sends). */
    static final String APPLY_POINT_KEY = "applyPoint";

    private TreeProperties() {
    }

    /** Parses key=value lines; blank lines and lines without '=' are skipped, the last value wins. */
    static Map<String, String> metadata(String metadata) {
        Map<String, String> values = new LinkedHashMap<>();
        for (String line : metadata.split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                values.put(line.substring(0, eq).trim(), line.substring(eq + 1).trim());
            }
        }
        return values;
    }

    /** A comma-separated metadata value as its non-blank items; empty for null. */
    static List<String> list(String value) {
        if (value == null) {
            return List.of();
        }
        return Arrays.stream(value.split(",")).map(String::strip).filter(v -> !v.isEmpty()).toList();
    }

    static Map<String, Object> of(OciMessage message, Map<String, String> metadata, Optional<String> profile) {
        Map<String, Object> props = new HashMap<>();
        metadata.forEach((k, v) -> props.put(SupervisedTree.METADATA_PREFIX + k, v));
        message.state().annotations().forEach((k, v) -> props.put(SupervisedTree.ANNOTATION_PREFIX + k, v));
        putIfPresent(props, SupervisedTree.CONTAINER_ID, message.state().id());
        putIfPresent(props, "oci.status", message.state().status());
        putIfPresent(props, "oci.bundle", message.state().bundle());
        profile.ifPresent(p -> props.put(SupervisedTree.PROFILE, p));
        return props;
    }

    private static void putIfPresent(Map<String, Object> props, String key, String value) {
        if (!value.isEmpty()) {
            props.put(key, value);
        }
    }
}
