package org.attenuator.plugin.learning.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * A learning key's file name: the key itself when it is a plain name ({@code nginx} ->
 * {@code nginx.json}), else the key with every other character run replaced by {@code _}, cut to 64
 * characters, and 16 hex digits of its SHA-256 so that different keys never share a file
 * ({@code /usr/sbin/nginx@sha256:ab..} -> {@code usr_sbin_nginx_sha256_ab..-1f2e3d4c5b6a7988.json}).
 */
final class FileNames {

    private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,99}");

    private FileNames() {
    }

    static String of(String key) {
        if (PLAIN.matcher(key).matches() && !key.endsWith(".json") && !key.endsWith(".lock") && !key.endsWith(".tmp")) {
            return key + ".json";
        }
        String clean = key.replaceAll("[^A-Za-z0-9._-]+", "_").replaceAll("^[._-]+", "");
        if (clean.length() > 64) {
            clean = clean.substring(0, 64);
        }
        return (clean.isEmpty() ? "" : clean + "-") + shortHash(key) + ".json";
    }

    static String shortHash(String key) {
        return sha256(key.getBytes(StandardCharsets.UTF_8)).substring(0, 16);
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is always available", e);
        }
    }
}
