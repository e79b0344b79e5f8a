package org.attenuator.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * attenuator-testhelper, the program that starts a target under a filter and sends the listener
 * to the supervisor. It travels inside this jar (a plugin's build needs nothing else) and is
 * copied out once per JVM into a directory of this user's only.
 */
final class Testhelper {

    private static final String NAME = "attenuator-testhelper";
    private static Path path;

    private Testhelper() {
    }

    static synchronized Path path() throws IOException {
        if (path == null) {
            Path dir = Files.createTempDirectory("attenuator-testkit",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            dir.toFile().deleteOnExit();
            Path program = dir.resolve(NAME);
            try (InputStream in = Testhelper.class.getResourceAsStream("bin/" + NAME)) {
                if (in == null) {
                    throw new IOException(NAME + " is missing from the attenuator-api-testkit jar");
                }
                Files.copy(in, program);
            }
            program.toFile().deleteOnExit();
            Files.setPosixFilePermissions(program, PosixFilePermissions.fromString("rwx------"));
            path = program;
        }
        return path;
    }
}
