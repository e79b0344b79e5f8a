package org.attenuator.linux;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Real directories under the build directory (not /tmp, which everybody can write and which is
 * therefore refused), planted the way another local user (uid 1000) or a careless chmod would.
 */
class StrictDirectoryTest {
    private static final int OTHER_UID = 1000;
    private Path base;

    @BeforeEach
    void base() throws IOException {
        Path target = Files.createDirectories(Path.of("target").toAbsolutePath());
        base = Files.createTempDirectory(target, "strict-");
    }

    @AfterEach
    void clean() throws IOException {
        try (Stream<Path> all = Files.walk(base)) {
            for (Path p : (Iterable<Path>) all.sorted(Comparator.reverseOrder())::iterator) {
                Files.delete(p);
            }
        }
    }

    @Test
    void createsMissingDirectoriesPrivate() throws IOException {
        try (StrictDirectory d = StrictDirectory.create(base.resolve("home/learned"))) {
            assertEquals(base.resolve("home/learned"), d.path());
        }
        assertEquals("rwx------", mode(base.resolve("home")));
        assertEquals("rwx------", mode(base.resolve("home/learned")));
    }

    @Test
    void refusesADirectoryOwnedByAnotherUser() throws IOException {
        Path home = Files.createDirectory(base.resolve("home"));
        chown(home, OTHER_UID);
        RefusedPathException e = assertThrows(RefusedPathException.class, () -> StrictDirectory.open(home));
        assertEquals("refusing " + home + ": owned by uid 1000, not " + euid() + " or root", e.getMessage());
    }

    @Test
    void refusesAnyParentThatOthersCanWrite() throws IOException {
        Path parent = Files.createDirectory(base.resolve("shared"));
        Files.setPosixFilePermissions(parent, PosixFilePermissions.fromString("rwxrwxrwx"));
        Path home = Files.createDirectory(parent.resolve("home"));
        RefusedPathException e = assertThrows(RefusedPathException.class, () -> StrictDirectory.create(home.resolve("learned")));
        assertEquals("refusing " + parent + ": writable by group or others (mode 0777)", e.getMessage());
        assertFalse(Files.exists(home.resolve("learned")), "nothing created below a refused directory");
    }

    @Test
    void refusesTmpItself() {
        RefusedPathException e = assertThrows(RefusedPathException.class, () -> StrictDirectory.create(Path.of("/tmp/attenuator-" + euid())));
        assertEquals("refusing /tmp: writable by group or others (mode 1777)", e.getMessage());
    }

    @Test
    void followsALinkOnlyInATrustedDirectoryAndChecksItsTarget() throws IOException {
        Path real = Files.createDirectory(base.resolve("real"));
        Files.createSymbolicLink(base.resolve("link"), Path.of("real"));
        try (StrictDirectory d = StrictDirectory.open(base.resolve("link"))) {
            assertEquals(real, d.path());
        }
        chown(real, OTHER_UID);
        assertThrows(RefusedPathException.class, () -> StrictDirectory.open(base.resolve("link")));
    }

    @Test
    void refusesALinkWhereASubdirectoryOrFileShouldBe() throws IOException {
        Path victim = Files.writeString(base.resolve("victim"), "root only\n");
        Files.createDirectory(base.resolve("elsewhere"));
        try (StrictDirectory d = StrictDirectory.create(base.resolve("home"))) {
            Files.createSymbolicLink(base.resolve("home/learned"), base.resolve("elsewhere"));
            Files.createSymbolicLink(base.resolve("home/log.json"), victim);
            RefusedPathException dir = assertThrows(RefusedPathException.class, () -> d.createDirectory("learned"));
            assertEquals("refusing " + base.resolve("home/learned") + ": a symbolic link", dir.getMessage());
            RefusedPathException log = assertThrows(RefusedPathException.class, () -> d.append("log.json"));
            assertEquals("refusing " + base.resolve("home/log.json") + ": a symbolic link", log.getMessage());
            assertThrows(RefusedPathException.class, () -> d.read("log.json", 100));
            assertThrows(RefusedPathException.class, () -> d.lock("log.json"));
        }
        assertEquals("root only\n", Files.readString(victim));
    }

    @Test
    void refusesFilesSomeoneElseCouldHaveWritten() throws IOException {
        try (StrictDirectory d = StrictDirectory.create(base.resolve("learned"))) {
            Path planted = Files.writeString(d.path().resolve("web.json"), "{}");
            chown(planted, OTHER_UID);
            assertEquals("refusing " + planted + ": owned by uid 1000, not " + euid() + " or root",
                    assertThrows(RefusedPathException.class, () -> d.read("web.json", 100)).getMessage());
            chown(planted, euid());
            Files.setPosixFilePermissions(planted, PosixFilePermissions.fromString("rw-rw-r--"));
            assertEquals("refusing " + planted + ": writable by group or others (mode 0664)",
                    assertThrows(RefusedPathException.class, () -> d.read("web.json", 100)).getMessage());
            Files.setPosixFilePermissions(planted, PosixFilePermissions.fromString("rw-------"));
            assertEquals("{}", new String(d.read("web.json", 100).orElseThrow().bytes(), StandardCharsets.UTF_8));
            assertEquals("refusing " + planted + ": larger than 1 bytes",
                    assertThrows(RefusedPathException.class, () -> d.read("web.json", 1)).getMessage());
        }
    }

    @Test
    void refusesAFifoWithoutBlocking() throws Exception {
        try (StrictDirectory d = StrictDirectory.create(base.resolve("learned"))) {
            assertEquals(0, new ProcessBuilder("mkfifo", "-m", "600", d.path().resolve("x.json").toString()).start().waitFor());
            assertEquals("refusing " + d.path().resolve("x.json") + ": not a regular file",
                    assertThrows(RefusedPathException.class, () -> d.read("x.json", 100)).getMessage());
        }
    }

    @Test
    void replaceListLockDelete() throws IOException {
        try (StrictDirectory d = StrictDirectory.create(base.resolve("learned"))) {
            assertTrue(d.read("a.json", 100).isEmpty());
            d.replace("a.json", "one".getBytes(StandardCharsets.UTF_8));
            d.replace("a.json", "two".getBytes(StandardCharsets.UTF_8));
            assertArrayEquals("two".getBytes(StandardCharsets.UTF_8), d.read("a.json", 100).orElseThrow().bytes());
            assertEquals("rw-------", mode(d.path().resolve("a.json")));
            try (Fd lock = d.lock(".a.lock")) {
                assertTrue(lock.isOpen());
            }
            assertEquals(List.of(".a.lock", "a.json"), d.list().stream().sorted().toList());
            try (Fd log = d.append("log")) {
                log.writeFully("x\n".getBytes(StandardCharsets.UTF_8));
            }
            assertTrue(d.delete("a.json"));
            assertFalse(d.delete("a.json"));
            assertThrows(RefusedPathException.class, () -> d.read("../a.json", 100));
        }
    }

    private static String mode(Path p) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS));
    }

    private static int euid() throws IOException {
        return (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
    }

    /** chown as root; the tests that plant another user's files need it. */
    private static void chown(Path p, int uid) throws IOException {
        assumeTrue(euid() == 0, "planting another user's file needs root");
        Files.setAttribute(p, "unix:uid", uid, LinkOption.NOFOLLOW_LINKS);
    }
}
