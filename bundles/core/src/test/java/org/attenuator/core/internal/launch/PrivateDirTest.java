package org.attenuator.core.internal.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
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
            assertEquals(List.of(), left.toList());
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
    void refusesABaseOfAnotherUserAndTmp() throws IOException {
        assumeTrue(AttenuatorPaths.uid() == 0, "only root can give a directory away");
        Path base = Files.createDirectory(dir.resolve("theirs"));
        Files.setAttribute(base, "unix:uid", 65534);
        RefusedPathException e = assertThrows(RefusedPathException.class, () -> PrivateDir.create(base));
        assertEquals("refusing " + base + ": owned by uid 65534, not 0 or root", e.getMessage());
        e = assertThrows(RefusedPathException.class, () -> PrivateDir.create(Path.of("/tmp/attenuator-0")));
        assertEquals("refusing /tmp: writable by group or others (mode 1777)", e.getMessage());
    }
}
