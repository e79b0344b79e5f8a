package org.attenuator.core.internal.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.attenuator.linux.AttenuatorPaths;
import org.attenuator.linux.RefusedPathException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The fork server socket's directory is short and private, and nobody else can have planted its base. */
class PrivateDirTest {

    @TempDir(factory = RunBaseFactory.class)
    Path dir;

    @Test
    void createdPrivateInsideACheckedBaseAndRemovedOnClose() throws IOException {
        Path base = dir.resolve("run");
        Path made;
        try (PrivateDir d = PrivateDir.create(base)) {
            made = d.path();
            assertEquals(base, made.getParent());
            assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(base)));
            assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(made)));
            Files.writeString(made.resolve("serve.sock"), "");
        }
        assertFalse(Files.exists(made));
        try (Stream<Path> left = Files.list(base)) {
            assertEquals(List.of(base.resolve("launch.lock")), left.toList(), "only the lock that serializes creations");
        }
    }

    @Test
    void refusesAnOpenBaseALinkedFileAndPathsTooLongForASocket() throws IOException {
        Path open = Files.createDirectory(dir.resolve("open"));
        Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rwxrwxrwx"));
        RefusedPathException e = assertThrows(RefusedPathException.class, () -> PrivateDir.create(open));
        assertEquals("refusing " + open + ": writable by group or others (mode 0777)", e.getMessage());
        Path file = Files.createFile(dir.resolve("file"));
        assertThrows(RefusedPathException.class, () -> PrivateDir.create(file));
        IOException tooLong = assertThrows(IOException.class,
                () -> PrivateDir.create(dir.resolve("d".repeat(PrivateDir.MAX_BASE_LENGTH))));
        assertTrue(tooLong.getMessage().contains("too long"), tooLong.getMessage());
    }

    @Test
    void refusesABaseOfAnotherUser() throws IOException {
        assumeTrue(AttenuatorPaths.uid() == 0, "only root can give a directory away");
        Path base = Files.createDirectory(dir.resolve("theirs"));
        Files.setAttribute(base, "unix:uid", 65534);
        RefusedPathException e = assertThrows(RefusedPathException.class, () -> PrivateDir.create(base));
        assertEquals("refusing " + base + ": owned by uid 65534, not 0 or root", e.getMessage());
    }

    @Test
    void aStickyRootDirectoryOnTheWayIsTrustedButNotAsTheBase() throws IOException {
        // /tmp: nobody else can rename or remove what we own in it, but it is no private base itself
        RefusedPathException e = assertThrows(RefusedPathException.class, () -> PrivateDir.create(Path.of("/tmp")));
        assertEquals("refusing /tmp: writable by group or others (mode 1777)", e.getMessage());
        Path mine = Path.of("/tmp", "attenuator-test-" + ProcessHandle.current().pid());
        try (PrivateDir d = PrivateDir.create(mine)) {
            assertEquals(mine, d.path().getParent());
        } finally {
            Files.deleteIfExists(mine.resolve("launch.lock"));
            Files.deleteIfExists(mine);
        }
    }

    @Test
    void directoryOfALiveOwnerStaysOfAKilledOneGoes() throws Exception {
        Path base = Files.createDirectory(dir.resolve("base"));
        Files.setPosixFilePermissions(base, PosixFilePermissions.fromString("rwx------"));
        Path other = Files.createDirectory(base.resolve("attenuator-launch-42"));
        Files.writeString(other.resolve("serve.sock"), "");
        Path lock = Files.createFile(base.resolve("attenuator-launch-42.lock"));
        Path unowned = Files.createDirectory(base.resolve("attenuator-launch-7")); // no lock file: not judged
        Process owner = new ProcessBuilder("python3", "-c", "import fcntl, sys, time\n"
                + "f = open(sys.argv[1], 'w'); fcntl.flock(f, fcntl.LOCK_EX | fcntl.LOCK_NB)\n"
                + "print('locked', flush=True); time.sleep(60)", lock.toString()).start();
        try {
            assertEquals("locked", new BufferedReader(new InputStreamReader(owner.getInputStream())).readLine());
            try (PrivateDir mine = PrivateDir.create(base)) {
                assertTrue(Files.exists(other.resolve("serve.sock")), "a live owner's socket stays");
            }
            owner.destroyForcibly();
            assertTrue(owner.waitFor(30, TimeUnit.SECONDS));

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
