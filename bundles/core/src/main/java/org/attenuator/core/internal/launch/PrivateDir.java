package org.attenuator.core.internal.launch;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.stream.Stream;

/** A 0700 directory for one fork server (its socket); {@link #close()} deletes it. */
final class PrivateDir implements AutoCloseable {

    private final Path path;

    private PrivateDir(Path path) {
        this.path = path;
    }

    static PrivateDir create(Path base) throws IOException {
        Files.createDirectories(base);
        return new PrivateDir(Files.createTempDirectory(base, "attenuator-launch-",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"))));
    }

    Path path() {
        return path;
    }

    @Override
    public void close() throws IOException {
        try (Stream<Path> files = Files.list(path)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Files.deleteIfExists(f);
            }
        }
        Files.deleteIfExists(path);
    }
}
