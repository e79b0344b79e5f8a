package org.attenuator.core.internal.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A fork server's directory (and socket) is removed when the JVM that owned it is gone: another
 * process (python3, fcntl lockf as the JVM's FileLock) holds the lock of a planted directory; while
 * it lives the directory stays, once it is killed the next fork server's start removes it.
 */
class PrivateDirTest {

    @TempDir
    Path base;

    @Test
    void directoryOfALiveOwnerStaysOfAKilledOneGoes() throws Exception {
        Path other = Files.createDirectory(base.resolve("attenuator-launch-42"));
        Files.writeString(other.resolve("serve.sock"), "");
        Path lock = Files.createFile(base.resolve("attenuator-launch-42.lock"));
        Path unowned = Files.createDirectory(base.resolve("attenuator-launch-7")); // no lock file: not judged
        Process owner = new ProcessBuilder("python3", "-c", "import fcntl, sys, time\n"
                + "f = open(sys.argv[1], 'w'); fcntl.lockf(f, fcntl.LOCK_EX | fcntl.LOCK_NB)\n"
                + "print('locked', flush=True); time.sleep(60)", lock.toString()).start();
        try {
            assertEquals("locked", new BufferedReader(new InputStreamReader(owner.getInputStream())).readLine());
            try (PrivateDir mine = PrivateDir.create(base)) {
                assertTrue(Files.exists(other.resolve("serve.sock")), "a live owner's socket stays");
            }
            owner.destroyForcibly();
            assertTrue(owner.waitFor(10, TimeUnit.SECONDS));

            Path next;
            try (PrivateDir mine = PrivateDir.create(base)) {
                next = mine.path();
                assertFalse(Files.exists(other), "the killed owner's directory is removed");
                assertFalse(Files.exists(lock));
            }
            assertFalse(Files.exists(next), "removed at close");
            assertTrue(Files.isDirectory(unowned));
        } finally {
            owner.destroyForcibly();
        }
    }
}
