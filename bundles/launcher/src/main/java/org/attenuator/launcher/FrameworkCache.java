package org.attenuator.launcher;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.slf4j.LoggerFactory;

/**
 * The embedded Felix's cache of one process: {@code RUN/felix-N/} (0700) with its lock file
 * {@code RUN/felix-N.lock}, which the owning JVM holds locked for its whole life (an fcntl lock:
 * the kernel releases it when the JVM ends, however it ends). Each start first removes the caches
 * whose lock nobody holds, so a JVM killed with SIGKILL leaves its cache only until the next start.
 * {@code RUN/felix.lock} serializes that cleanup with the creation of a cache, so a cache is never
 * seen between its lock file's creation and its locking.
 * <p>A user whose home cannot hold it (no writable home) gets the run directory of their session,
 * {@code $XDG_RUNTIME_DIR/attenuator}, else a {@link #temporary()} one.
 */
final class FrameworkCache implements AutoCloseable {

    private static final String PREFIX = "felix-", LOCK = ".lock";
    private static final FileAttribute<?> PRIVATE_DIR =
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"));
    private static final FileAttribute<?> PRIVATE_FILE =
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));

    private final Path dir;
    private final Path lockFile;
    private final FileChannel lockChannel;

    private FrameworkCache(Path dir, Path lockFile, FileChannel lockChannel) {
        this.dir = dir;
        this.lockFile = lockFile;
        this.lockChannel = lockChannel;
    }

    /**
     * This process's cache: in {@code home/run}, else in {@code $XDG_RUNTIME_DIR/attenuator}, else
     * {@link #temporary()}.
     */
    static FrameworkCache forProcess(Path home) throws IOException {
        try {
            return create(home.resolve("run"));
        } catch (IOException e) {
            LoggerFactory.getLogger(FrameworkCache.class).debug("no framework cache in the home: {}", e.getMessage());
        }
        String runtime = System.getenv("XDG_RUNTIME_DIR");
        if (runtime != null && runtime.startsWith("/") && Files.isDirectory(Path.of(runtime))) {
            try {
                return create(Path.of(runtime, "attenuator"));
            } catch (IOException e) {
                LoggerFactory.getLogger(FrameworkCache.class).debug("no framework cache in {}: {}", runtime, e.getMessage());
            }
        }
        return temporary();
    }

    /**
     * Removes the stale caches in {@code run} (created 0700 if missing) and creates this process's.
     *
     * @throws IOException naming {@code run} and the reason
     */
    static FrameworkCache create(Path run) throws IOException {
        try {
            return createIn(run);
        } catch (AccessDeniedException e) {
            throw new IOException("framework cache in " + run + ": permission denied on " + e.getFile(), e);
        } catch (FileSystemException e) {
            throw new IOException("framework cache in " + run + ": " + e.getMessage(), e);
        }
    }

    private static FrameworkCache createIn(Path requested) throws IOException {
        // the framework loads code from here: nobody else may be able to swap what it holds
        Path run = TrustedPath.directory(requested.toAbsolutePath(), TrustedPath.uid());
        try (FileChannel guard = FileChannel.open(run.resolve("felix.lock"),
                Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE), PRIVATE_FILE);
                FileLock held = guard.lock()) {
            removeStale(run);
            Path lockFile = Files.createTempFile(run, PREFIX, LOCK, PRIVATE_FILE);
            FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.WRITE);
            boolean ok = false;
            try {
                channel.lock(); // released when the channel closes or the JVM ends
                String name = lockFile.getFileName().toString();
                Path dir = Files.createDirectory(run.resolve(name.substring(0, name.length() - LOCK.length())), PRIVATE_DIR);
                ok = true;
                return new FrameworkCache(dir, lockFile, channel);
            } finally {
                if (!ok) {
                    channel.close();
                    Files.deleteIfExists(lockFile);
                }
            }
        }
    }

    /**
     * A fresh private temporary directory, for a user whose home cannot hold the cache: removed at
     * the end, but left behind if this process is killed (there is no shared place to clean).
     */
    static FrameworkCache temporary() throws IOException {
        return new FrameworkCache(Files.createTempDirectory("attenuator-felix-", PRIVATE_DIR), null, null);
    }

    Path path() {
        return dir;
    }

    private static void removeStale(Path run) throws IOException {
        List<Path> locks;
        try (Stream<Path> files = Files.list(run)) {
            locks = files.filter(p -> {
                String n = p.getFileName().toString();
                return n.startsWith(PREFIX) && n.endsWith(LOCK) && n.length() > PREFIX.length() + LOCK.length();
            }).toList();
        }
        for (Path lock : locks) {
            try (FileChannel channel = FileChannel.open(lock, StandardOpenOption.WRITE)) {
                FileLock free = channel.tryLock();
                if (free != null) { // its owner is gone
                    String name = lock.getFileName().toString();
                    deleteTree(run.resolve(name.substring(0, name.length() - LOCK.length())));
                    Files.deleteIfExists(lock);
                }
            } catch (OverlappingFileLockException ownedByThisJvm) {
                // another framework of this process: alive
            } catch (IOException e) {
                LoggerFactory.getLogger(FrameworkCache.class).debug("cannot check {}: {}", lock, e.toString());
            }
        }
    }

    /** Deletes the cache and then its lock file; a failure is logged, the next start retries. */
    @Override
    public void close() {
        deleteTree(dir);
        if (lockFile == null) {
            return;
        }
        try {
            Files.deleteIfExists(lockFile);
            lockChannel.close();
        } catch (IOException e) {
            LoggerFactory.getLogger(FrameworkCache.class).debug("cannot remove {}: {}", lockFile, e.toString());
        }
    }

    private static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
        } catch (IOException | UncheckedIOException e) {
            LoggerFactory.getLogger(FrameworkCache.class).debug("cannot delete {}: {}", root, e.toString());
        }
    }
}
