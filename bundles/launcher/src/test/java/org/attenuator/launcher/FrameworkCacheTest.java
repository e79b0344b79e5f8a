package org.attenuator.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A framework cache is removed when its owner is gone: another process (python3, fcntl lockf as
 * the JVM's FileLock) holds the lock of a planted cache; while it lives the cache stays, once it is
 * killed the next start removes it.
 */
class FrameworkCacheTest {

    @TempDir
    Path run;

    @Test
    void cacheOfALiveProcessStaysOfAKilledOneGoes() throws Exception {
        Path other = Files.createDirectory(run.resolve("felix-123"));
        Files.writeString(other.resolve("bundle0"), "x");
        Path lock = Files.createFile(run.resolve("felix-123.lock"));
        Process owner = new ProcessBuilder("python3", "-c", "import fcntl, sys, time\n"
                + "f = open(sys.argv[1], 'w'); fcntl.lockf(f, fcntl.LOCK_EX | fcntl.LOCK_NB)\n"
                + "print('locked', flush=True); time.sleep(60)", lock.toString()).start();
        try {
            assertEquals("locked", new BufferedReader(new InputStreamReader(owner.getInputStream())).readLine());

            try (FrameworkCache mine = FrameworkCache.create(run)) {
                assertTrue(Files.isDirectory(other), "a live process's cache stays");
                assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(mine.path())));
                assertTrue(mine.path().getFileName().toString().startsWith("felix-"));
            }
            owner.destroyForcibly();
            assertTrue(owner.waitFor(30, TimeUnit.SECONDS));

            Path next;
            try (FrameworkCache mine = FrameworkCache.create(run)) {
                next = mine.path();
                assertFalse(Files.exists(other), "the killed process's cache is removed");
                assertFalse(Files.exists(lock));
            }
            assertFalse(Files.exists(next), "a cache is deleted at its end");
            assertFalse(Files.exists(Path.of(next + ".lock")));
        } finally {
            owner.destroyForcibly();
        }
    }

    @Test
    void unrelatedEntriesAreLeftAlone() throws Exception {
        Path noLock = Files.createDirectory(run.resolve("felix-9"));
        Path file = Files.writeString(run.resolve("keeper.sock.txt"), "x");
        try (FrameworkCache mine = FrameworkCache.create(run)) {
            assertTrue(Files.isDirectory(noLock), "a directory without a lock file is not ours to judge");
            assertTrue(Files.exists(file));
        }
    }
}
