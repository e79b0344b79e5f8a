package org.attenuator.shell.internal;

import java.nio.file.Path;

/** File arguments: relative to the directory Karaf was started in, as a shell user expects. */
final class Paths {

    private Paths() {
    }

    static Path of(String argument) {
        return Path.of(argument).toAbsolutePath();
    }
}
