package org.attenuator.core.internal.launch;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.slf4j.LoggerFactory;

/**
 * A 0700 directory for one fork server (its socket), {@code BASE/attenuator-launch-N/}, with its
 * lock file {@code BASE/attenuator-launch-N.lock}, which this JVM holds locked while the directory
 * is in use (an fcntl lock: the kernel releases it when the JVM ends, however it ends; the server
 * dies with the JVM). {@link #create} first removes the directories whose lock nobody holds, so a
 * JVM killed with SIGKILL leaves its socket only until the next fork server starts;
 * {@code BASE/launch.lock} serializes that with the creation of a directory. Directories without a
 * lock file are never touched. {@link #close()} deletes the directory and its lock file.
 */
final class PrivateDir implements AutoCloseable {

    private static final String PREFIX = "attenuator-launch-", LOCK = ".lock";
    private static final FileAttribute<?> PRIVATE_DIR =
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"));
    private static final FileAttribute<?> PRIVATE_FILE =
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));

    private final Path path;
    private final Path lockFile;
    private final FileChannel lock;

    private PrivateDir(Path path, Path lockFile, FileChannel lock) {
        this.path = path;
        this.lockFile = lockFile;
        this.lock = lock;
    }

    static PrivateDir create(Path base) throws IOException {
        Files.createDirectories(base);
        try (FileChannel guard = FileChannel.open(base.resolve("launch.lock"),
                Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE), PRIVATE_FILE);
                FileLock held = guard.lock()) {
            removeStale(base);
            Path lockFile = Files.createTempFile(base, PREFIX, LOCK, PRIVATE_FILE);
            FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.WRITE);
            boolean ok = false;
            try {
                channel.lock(); // released when the channel closes or the JVM ends
                Path dir = Files.createDirectory(dirOf(lockFile), PRIVATE_DIR);
                ok = true;
                return new PrivateDir(dir, lockFile, channel);
            } finally {
                if (!ok) {
                    channel.close();
                    Files.deleteIfExists(lockFile);
                }
            }
        }
    }

    Path path() {
        return path;
    }

    private static Path dirOf(Path lockFile) {
        String name = lockFile.getFileName().toString();
        return lockFile.resolveSibling(name.substring(0, name.length() - LOCK.length()));
    }

    private static void removeStale(Path base) throws IOException {
        List<Path> locks;
        try (Stream<Path> files = Files.list(base)) {
            locks = files.filter(p -> {
                String n = p.getFileName().toString();
                return n.startsWith(PREFIX) && n.endsWith(LOCK) && n.length() > PREFIX.length() + LOCK.length();
            }).toList();
        }
        for (Path lockFile : locks) {
            try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.WRITE)) {
                if (channel.tryLock() != null) { // its JVM is gone
                    deleteDir(dirOf(lockFile));
                    Files.deleteIfExists(lockFile);
                }
            } catch (OverlappingFileLockException inUseByThisJvm) {
                // another fork server of this JVM
            } catch (IOException e) {
                LoggerFactory.getLogger(PrivateDir.class).debug("cannot check {}: {}", lockFile, e.toString());
            }
        }
    }

    private static void deleteDir(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Files.deleteIfExists(f);
            }
        }
        Files.deleteIfExists(dir);
    }

    @Override
    public void close() throws IOException {
        try {
            deleteDir(path);
            Files.deleteIfExists(lockFile);
        } finally {
            lock.close();
        }
    }
}
