package org.attenuator.testsupport;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A test's own ATTENUATOR_HOME: {@code DIR/home} in the test's temporary directory, created empty. */
public final class TempHome {

    private TempHome() {
    }

    /** {@code dir/home}, created (with its parents) if it is not there yet. */
    public static Path in(Path dir) throws IOException {
        return Files.createDirectories(dir.resolve("home"));
    }
}
