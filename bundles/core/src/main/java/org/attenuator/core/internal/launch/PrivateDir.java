package org.attenuator.core.internal.launch;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;
import org.attenuator.linux.StrictDirectory;

/**
 * A 0700 directory for one fork server (its socket, {@code serve.sock}) in the run base
 * ({@link org.attenuator.linux.AttenuatorPaths#runtime()}); {@link #close()} deletes it. The base
 * and every directory above it are checked as {@link StrictDirectory} does, so nobody else can
 * have planted it or replace the socket. A socket path must fit {@code sun_path} (107 bytes and a
 * NUL), so the base must be short.
 */
final class PrivateDir implements AutoCloseable {

    /** Longest base that still leaves room for {@code /attenuator-launch-NNNNNNNNNNNNNNNN/serve.sock}. */
    static final int MAX_BASE_LENGTH = 107 - "/attenuator-launch-ffffffffffffffff/serve.sock".length();

    private final StrictDirectory base;
    private final StrictDirectory dir;
    private final String name;

    private PrivateDir(StrictDirectory base, StrictDirectory dir, String name) {
        this.base = base;
        this.dir = dir;
        this.name = name;
    }

    /**
     * Creates {@code runBase} 0700 if missing, checks it, and makes a new private directory in it.
     *
     * @throws IOException naming the path and what is wrong with it
     */
    static PrivateDir create(Path runBase) throws IOException {
        checkLength(runBase);
        StrictDirectory base = StrictDirectory.create(runBase);
        try {
            checkLength(base.path()); // symbolic links resolved
            String name = "attenuator-launch-" + String.format("%016x", ThreadLocalRandom.current().nextLong());
            return new PrivateDir(base, base.createDirectory(name), name);
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

    @Override
    public void close() throws IOException {
        try (base; dir) {
            for (String f : dir.list()) {
                dir.delete(f);
            }
            base.deleteDirectory(name);
        }
    }
}
