package org.attenuator.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The deny-log file is checked before logback opens it by path; real files under target/, not /tmp. */
class TrustedPathTest {

    @TempDir(factory = BuildDirectoryTempDirs.class)
    Path dir;

    @Test
    void createsMissingDirectoriesPrivateAndAcceptsOwnFiles() throws IOException {
        Path file = dir.resolve("home/log/denylog.jsonl");
        TrustedPath.file(file, TrustedPath.uid());
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent())));
        Files.writeString(file, "{}\n");
        TrustedPath.file(file, TrustedPath.uid());
    }

    @Test
    void refusesASymbolicLinkAtTheLogPath() throws IOException {
        Path victim = Files.writeString(dir.resolve("victim"), "secret\n");
        Path log = Files.createDirectories(dir.resolve("home/log"));
        Files.createSymbolicLink(log.resolve("denylog.jsonl"), victim);
        IOException e = assertThrows(IOException.class, () -> TrustedPath.file(log.resolve("denylog.jsonl"), TrustedPath.uid()));
        assertEquals("refusing " + log.resolve("denylog.jsonl") + ": a symbolic link", e.getMessage());
    }

    @Test
    void refusesDirectoriesOthersCanWriteOrOwn() throws IOException {
        Path home = Files.createDirectories(dir.resolve("home"));
        Files.setPosixFilePermissions(home, PosixFilePermissions.fromString("rwxrwxrwx"));
        IOException e = assertThrows(IOException.class, () -> TrustedPath.file(home.resolve("log/d.json"), TrustedPath.uid()));
        assertEquals("refusing " + home + ": writable by group or others (mode 0777)", e.getMessage());
        assertEquals("refusing /tmp: writable by group or others (mode 1777)",
                assertThrows(IOException.class, () -> TrustedPath.file(Path.of("/tmp/d.json"), TrustedPath.uid())).getMessage());
        assumeTrue(TrustedPath.uid() == 0, "only root can give a directory away");
        Files.setPosixFilePermissions(home, PosixFilePermissions.fromString("rwx------"));
        Files.setAttribute(home, "unix:uid", 1000, LinkOption.NOFOLLOW_LINKS);
        e = assertThrows(IOException.class, () -> TrustedPath.file(home.resolve("log/d.json"), 0));
        assertEquals("refusing " + home + ": owned by uid 1000, not 0 or root", e.getMessage());
    }
}
