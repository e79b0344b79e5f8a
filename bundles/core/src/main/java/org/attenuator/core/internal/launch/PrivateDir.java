package org.attenuator.core.internal.launch;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import org.attenuator.linux.Fd;
import org.attenuator.linux.StrictDirectory;
import org.slf4j.LoggerFactory;

/**
 * A 0700 directory for one fork server (its socket, {@code serve.sock}) in the run base
 * ({@link org.attenuator.linux.AttenuatorPaths#runtime()}): {@code BASE/attenuator-launch-N/}, with
 * its lock file {@code BASE/attenuator-launch-N.lock}, which this JVM holds (flock) while the
 * directory is in use; the kernel releases it when the JVM ends, however it ends. {@link #create}
 * first removes the directories whose lock nobody holds, so a JVM killed with SIGKILL leaves its
 * socket only until the next fork server starts; {@code BASE/launch.lock} serializes that with the
 * creation of a directory. The base and every directory above it are checked as
 * {@link StrictDirectory} does, so nobody else can have planted it or replace the socket. A socket
 * path must fit {@code sun_path} (107 bytes and a NUL), so the base must be short.
 */
final class PrivateDir implements AutoCloseable {

    /** Longest base that still leaves room for {@code /attenuator-launch-NNNNNNNNNNNNNNNN/serve.sock}. */
    static final int MAX_BASE_LENGTH = 107 - "/attenuator-launch-ffffffffffffffff/serve.sock".length();
    private static final String PREFIX = "attenuator-launch-", LOCK = ".lock", GUARD = "launch.lock";

    private final StrictDirectory base;
    private final StrictDirectory dir;
    private final String name;
    private final Fd held;

    private PrivateDir(StrictDirectory base, StrictDirectory dir, String name, Fd held) {
        this.base = base;
        this.dir = dir;
        this.name = name;
        this.held = held;
    }

    /**
     * Creates {@code runBase} 0700 if missing, checks it, removes the directories of JVMs that are
     * gone, and makes a new private directory in it.
     *
     * @throws IOException naming the path and what is wrong with it
     */
    static PrivateDir create(Path runBase) throws IOException {
        checkLength(runBase);
        StrictDirectory base = StrictDirectory.create(runBase);
        try {
            checkLength(base.path()); // symbolic links resolved
            try (Fd guard = base.lock(GUARD)) {
                removeStale(base);
                String name = PREFIX + String.format("%016x", ThreadLocalRandom.current().nextLong());
                Fd held = base.lock(name + LOCK);
                try {
                    return new PrivateDir(base, base.createDirectory(name), name, held);
                } catch (IOException e) {
                    held.close();
                    base.delete(name + LOCK);
                    throw e;
                }
            }
        } catch (IOException e) {
            base.close();
            throw e;
        }
    }

    private static void checkLength(Path base) throws IOException {
        if (base.toString().length() > MAX_BASE_LENGTH) {
            throw new IOException("run directory " + base + " is too long for a socket path (at most "
                    + MAX_BASE_LENGTH + " bytes)");
        }
    }

    Path path() {
        return dir.path();
    }

    /** Directories with a lock file nobody holds: their JVM is gone. Those without one are never touched. */
    private static void removeStale(StrictDirectory base) throws IOException {
        for (String lock : base.list()) {
            if (!lock.startsWith(PREFIX) || !lock.endsWith(LOCK) || lock.length() == PREFIX.length() + LOCK.length()) {
                continue;
            }
            String stale = lock.substring(0, lock.length() - LOCK.length());
            try {
                Optional<Fd> free = base.tryLock(lock);
                if (free.isPresent()) {
                    try (Fd gone = free.get()) {
                        removeDirectory(base, stale);
                        base.delete(lock);
                    }
                }
            } catch (IOException e) {
                LoggerFactory.getLogger(PrivateDir.class).debug("cannot clean {}: {}", base.path().resolve(stale), e.toString());
            }
        }
    }

    private static void removeDirectory(StrictDirectory base, String name) throws IOException {
        if (!base.list().contains(name)) {
            return;
        }
        try (StrictDirectory d = base.openDirectory(name)) {
            for (String f : d.list()) {
                d.delete(f);
            }
        }
        base.deleteDirectory(name);
    }

    @Override
    public void close() throws IOException {
        try (base; dir; held) {
            for (String f : dir.list()) {
                dir.delete(f);
            }
            base.deleteDirectory(name);
            base.delete(name + LOCK);
        }
    }
}
