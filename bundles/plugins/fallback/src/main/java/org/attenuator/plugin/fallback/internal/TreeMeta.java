package org.attenuator.plugin.fallback.internal;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import org.attenuator.api.SupervisedTree;
import org.attenuator.core.spi.ListenerCustodian;

/**
 * A tree's metadata as the keeper stores it and hands it back: its policy's name and its
 * properties, as {@code &}-separated {@code KEY=VALUE} pairs, percent-encoded (only
 * {@code A-Za-z0-9-._~} stay as they are). Values keep their type with a key suffix: {@code :l}
 * Long, {@code :i} Integer, {@code :b} Boolean; anything else is a String. The supervisor's own
 * properties (id, pid, custody id) are left out: a restarted supervisor sets them afresh; so is
 * the profile text, which the {@link ProfileStash} keeps (it is far larger than the keeper's limit).
 */
final class TreeMeta {

    /** The policy's name, under this key. */
    static final String POLICY = "attenuator.policy";
    /** The SHA-256 of the tree's profile text in the {@link ProfileStash}, under this key. */
    static final String PROFILE_DIGEST = "attenuator.profileDigest";
    /** True when the tree's profile routed its denials through the supervisor (deny-log), under this key. */
    static final String ROUTED_DENIALS = "attenuator.routedDenials";
    /** The keeper's limit. */
    static final int MAX_BYTES = 1024;

    private TreeMeta() {
    }

    /**
     * Encodes; properties that do not fit in {@link #MAX_BYTES} are left out (sorted by key).
     * @param profileDigest the digest of the stashed profile text, or null
     * @param routedDenials whether the tree's policy answers routed denials (never left out)
     */
    static String encode(String policyName, String profileDigest, boolean routedDenials, Map<String, Object> properties) {
        StringBuilder b = new StringBuilder(pair(POLICY, policyName));
        if (profileDigest != null) {
            b.append('&').append(pair(PROFILE_DIGEST, profileDigest));
        }
        if (routedDenials) {
            b.append('&').append(pair(ROUTED_DENIALS + ":b", "true"));
        }
        for (Map.Entry<String, Object> e : new TreeMap<>(properties).entrySet()) {
            String k = e.getKey();
            if (k.equals(SupervisedTree.ID) || k.equals(SupervisedTree.PID) || k.equals(ListenerCustodian.CUSTODY_ID)
                    || k.equals(HandedBackPolicy.TEXT) || e.getValue() == null) {
                continue;
            }
            Object v = e.getValue();
            String suffix = v instanceof Long ? ":l" : v instanceof Integer ? ":i" : v instanceof Boolean ? ":b" : "";
            String p = pair(k + suffix, String.valueOf(v));
            if (b.length() + 1 + p.length() <= MAX_BYTES) {
                b.append('&').append(p);
            }
        }
        return b.toString();
    }

    /**
     * Decodes what {@link #encode} wrote: the properties, the policy's name under {@link #POLICY},
     * the profile text's digest under {@link #PROFILE_DIGEST}, {@link #ROUTED_DENIALS} if so.
     */
    static Map<String, Object> decode(String meta) {
        Map<String, Object> props = new LinkedHashMap<>();
        if (meta.equals("-")) {
            return props;
        }
        for (String pair : meta.split("&")) {
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                continue;
            }
            String key = unescape(pair.substring(0, eq));
            String value = unescape(pair.substring(eq + 1));
            try {
                if (key.endsWith(":l")) {
                    props.put(key.substring(0, key.length() - 2), Long.parseLong(value));
                } else if (key.endsWith(":i")) {
                    props.put(key.substring(0, key.length() - 2), Integer.parseInt(value));
                } else if (key.endsWith(":b")) {
                    props.put(key.substring(0, key.length() - 2), Boolean.parseBoolean(value));
                } else {
                    props.put(key, value);
                }
            } catch (NumberFormatException e) {
                props.put(key, value);
            }
        }
        return props;
    }

    private static String pair(String key, String value) {
        return escape(key) + "=" + escape(value);
    }

    static String escape(String s) {
        StringBuilder b = new StringBuilder();
        for (byte c : s.getBytes(StandardCharsets.UTF_8)) {
            if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.'
                    || c == '_' || c == '~') {
                b.append((char) c);
            } else {
                b.append('%').append(Character.toUpperCase(Character.forDigit((c >> 4) & 15, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 15, 16)));
            }
        }
        return b.toString();
    }

    static String unescape(String s) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%' && i + 2 < s.length()) {
                out.write(Integer.parseInt(s.substring(i + 1, i + 3), 16));
                i += 2;
            } else {
                out.write(c);
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }
}
