package org.attenuator.core.internal.launch;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.stream.Stream;
import org.attenuator.linux.Fd;
import org.attenuator.linux.UnixSocket;

/** A 0700 directory for one launch (program file, control socket); {@link #close()} deletes it. */
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

    /** Writes a new 0600 file. */
    Path write(String name, byte[] content) throws IOException {
        Path file = path.resolve(name);
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.write(file, content, StandardOpenOption.WRITE);
        return file;
    }

    /** A listening socket, mode 0600, in this directory. */
    UnixSocket listen(String name) throws IOException {
        String socket = path.resolve(name).toString();
        UnixSocket s = UnixSocket.listen(socket, 1);
        try {
            Fd.chmod(socket, 0600);
        } catch (IOException e) {
            s.close();
            throw e;
        }
        return s;
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
