package org.attenuator.core.internal;

import java.io.IOException;
import java.nio.file.Path;

/** Reads a profile file for the intake: PLACEHOLDER until the profile bundle's bounded reader is merged. */
public final class ProfileFiles {

    public static final int MAX_BYTES = 1024 * 1024;

    private ProfileFiles() {
    }

    public static String read(Path file) throws IOException {
        if (!java.nio.file.Files.isRegularFile(file) || java.nio.file.Files.size(file) > MAX_BYTES) {
            throw new IOException("not a regular file of at most " + MAX_BYTES + " bytes");
        }
        return java.nio.file.Files.readString(file);
    }
}
