package org.attenuator.plugin.learning.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import org.attenuator.api.SupervisedTree;

/**
 * The learning key of a tree, from its properties: {@code learn.key} (set by {@code run --learn KEY}),
 * else the OCI annotation {@code org.attenuator.learn.key}, else the listener metadata
 * {@code learn=KEY}. An empty value means the default key: the executable's path and its SHA-256,
 * {@code /usr/sbin/nginx@sha256:HEX}.
 */
final class KeyResolver {

    /** Tree property (String): the learning key; empty for the executable's default key. */
    static final String LEARN_KEY = org.attenuator.plugin.learning.Learning.KEY_PROPERTY;
    static final String ANNOTATION = SupervisedTree.ANNOTATION_PREFIX + "org.attenuator.learn.key";
    static final String METADATA = SupervisedTree.METADATA_PREFIX + "learn";
    /** The handler's target filter: trees with any of the three. */
    static final String TARGET = "(|(" + LEARN_KEY + "=*)(" + ANNOTATION + "=*)(" + METADATA + "=*))";

    private KeyResolver() {
    }

    /** The key as the tree's properties give it (possibly empty: the default key); empty when the tree does not learn. */
    static Optional<String> declared(Map<String, Object> properties) {
        for (String p : new String[] {LEARN_KEY, ANNOTATION, METADATA}) {
            Object v = properties.get(p);
            if (v != null) {
                return Optional.of(String.valueOf(v).strip());
            }
        }
        return Optional.empty();
    }

    /** The key to store under: the declared one, or the executable's path and SHA-256 (reads the whole file). */
    static String resolve(SupervisedTree tree) throws IOException {
        String declared = declared(tree.properties()).orElse("");
        if (!declared.isEmpty()) {
            return declared;
        }
        Object exe = tree.properties().get(SupervisedTree.EXECUTABLE);
        if (exe == null) {
            throw new IOException("tree " + tree.id() + " has no learning key and no " + SupervisedTree.EXECUTABLE);
        }
        return defaultKey(Path.of(String.valueOf(exe)));
    }

    static String defaultKey(Path executable) throws IOException {
        return org.attenuator.plugin.learning.Learning.defaultKey(executable);
    }

    static String sha256(Path file) throws IOException {
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), MessageDigest.getInstance("SHA-256"))) {
            byte[] buffer = new byte[64 * 1024];
            while (in.read(buffer) >= 0) {
                // digest as we go
            }
            return HexFormat.of().formatHex(((DigestInputStream) in).getMessageDigest().digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is always available", e);
        }
    }
}
