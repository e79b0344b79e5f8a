package org.attenuator.core.internal.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The fork server socket's directory is short and private, wherever the framework is installed. */
class RunDirectoryTest {

    @TempDir
    Path dir;

    @Test
    void shortBasesByEnvironmentAndUid() {
        assertEquals(Path.of("/run/attenuator"), RunDirectory.base(Map.of(), 0));
        assertEquals(Path.of("/tmp/attenuator-1000"), RunDirectory.base(Map.of(), 1000));
        assertEquals(dir.resolve("attenuator"), RunDirectory.base(Map.of("XDG_RUNTIME_DIR", dir.toString()), 1000));
        assertEquals(Path.of("/tmp/attenuator-1000"), RunDirectory.base(Map.of("XDG_RUNTIME_DIR", "relative"), 1000));
        String deep = dir.resolve("x".repeat(80)).toString();
        assertEquals(Path.of("/run/attenuator"), RunDirectory.base(Map.of("XDG_RUNTIME_DIR", deep), 0),
                "a runtime dir too deep for a socket path is not used");
        assertTrue(RunDirectory.MAX_BASE_LENGTH >= 50);
    }

    @Test
    void createdPrivateAndTightenedWhenLooser() throws IOException {
        Path base = RunDirectory.ensurePrivate(dir.resolve("run"));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(base)));
        Files.setPosixFilePermissions(base, PosixFilePermissions.fromString("rwxrwxrwx"));
        RunDirectory.ensurePrivate(base);
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(base)));
    }

    @Test
    void refusesLinksFilesAndPathsTooLongForASocket() throws IOException {
        Path target = Files.createDirectory(dir.resolve("target"));
        Path link = Files.createSymbolicLink(dir.resolve("link"), target);
        assertThrows(IOException.class, () -> RunDirectory.ensurePrivate(link));
        Path file = Files.createFile(dir.resolve("file"));
        assertThrows(IOException.class, () -> RunDirectory.ensurePrivate(file));
        IOException e = assertThrows(IOException.class,
                () -> RunDirectory.ensurePrivate(dir.resolve("d".repeat(RunDirectory.MAX_BASE_LENGTH))));
        assertTrue(e.getMessage().contains("too long"), e.getMessage());
    }

    @Test
    void refusesADirectoryOfAnotherUser() throws IOException {
        Path base = Files.createDirectory(dir.resolve("theirs"));
        if (RunDirectory.uid() != 0) {
            return; // only root can give a directory away
        }
        Files.setAttribute(base, "unix:uid", 65534);
        IOException e = assertThrows(IOException.class, () -> RunDirectory.ensurePrivate(base));
        assertTrue(e.getMessage().contains("65534"), e.getMessage());
    }
}
