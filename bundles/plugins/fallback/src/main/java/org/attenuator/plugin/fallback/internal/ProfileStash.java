package org.attenuator.plugin.fallback.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;
import org.attenuator.linux.StrictDirectory;

/**
 * The profile text of trees whose profile is no name a restarted supervisor could look up (the
 * text {@code run --agent} sent): one file per keeper id in {@code profiles/} next to the keeper's
 * socket, in a directory checked as {@link StrictDirectory} does (owner, mode, no links), written
 * before the keeper takes custody and deleted when the tree ends. The tree's keeper metadata
 * carries the text's SHA-256: a file whose text does not match it is refused, so a planted or
 * damaged file can never change a tree's policy, only make its take-back fail (closed).
 */
final class ProfileStash {

    static final String DIRECTORY = "profiles";
    /** As large as a profile file may be (ProfileFiles.MAX_BYTES). */
    static final int MAX_BYTES = 1 << 20;

    private final Path home;

    /** @param home the keeper's directory (the socket's) */
    ProfileStash(Path home) {
        this.home = home;
    }

    /** Stores the text for the tree; returns its digest, for the tree's keeper metadata. */
    String put(String custodyId, String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        if (bytes.length > MAX_BYTES) {
            throw new IOException("profile text of " + bytes.length + " bytes, at most " + MAX_BYTES);
        }
        try (StrictDirectory dir = StrictDirectory.create(home); StrictDirectory d = dir.createDirectory(DIRECTORY)) {
            d.replace(fileName(custodyId), bytes);
        }
        return digest(bytes);
    }

    /**
     * The text stored for the tree, if it is there and matches the digest.
     * @throws IOException the file is missing, refused (owner, mode, link, size) or does not match
     */
    String get(String custodyId, String digest) throws IOException {
        String name = fileName(custodyId);
        Optional<StrictDirectory.Contents> c;
        try (StrictDirectory dir = StrictDirectory.open(home); StrictDirectory d = dir.openDirectory(DIRECTORY)) {
            c = d.read(name, MAX_BYTES);
        }
        Path file = home.resolve(DIRECTORY).resolve(name);
        byte[] bytes = c.orElseThrow(() -> new IOException(file + ": missing")).bytes();
        if (!MessageDigest.isEqual(digest(bytes).getBytes(StandardCharsets.US_ASCII),
                digest.getBytes(StandardCharsets.US_ASCII))) {
            throw new IOException(file + ": its text is not the tree's profile (SHA-256 differs)");
        }
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /** Deletes the tree's file, if any. */
    void remove(String custodyId) throws IOException {
        try (StrictDirectory dir = StrictDirectory.open(home); StrictDirectory d = dir.openDirectory(DIRECTORY)) {
            d.delete(fileName(custodyId));
        }
    }

    private static String fileName(String custodyId) {
        return TreeMeta.escape(custodyId) + ".json";
    }

    static String digest(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
