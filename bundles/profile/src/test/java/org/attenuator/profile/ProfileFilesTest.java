package org.attenuator.profile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.attenuator.bpf.CompileException;
import org.attenuator.bpf.CompileException.Reason;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Only regular files of at most 1 MiB are read as profiles; anything else is one line naming the path. */
class ProfileFilesTest {

    private static final String ALLOW = "{\"defaultAction\":\"SCMP_ACT_ALLOW\"}";

    @TempDir
    Path dir;

    @Test
    void devZeroIsACharacterDeviceNotAnEndlessProfile() {
        assertRefused(Path.of("/dev/zero"), "/dev/zero: not a regular file (a character device)");
    }

    @Test
    void aFifoWithoutAWriterIsRefusedAtOnce() throws Exception {
        Path fifo = dir.resolve("p.json");
        assertEquals(0, new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor());
        // a blocking open would wait for a writer for ever; the bound only turns that hang into a failure
        assertTimeoutPreemptively(Duration.ofSeconds(30), () -> assertRefused(fifo, fifo + ": not a regular file (a FIFO)"));
    }

    @Test
    void aDirectoryIsRefused() {
        assertRefused(dir, dir + ": not a regular file (a directory)");
    }

    @Test
    void oneMebibyteIsReadAndOneByteMoreIsRefused() throws Exception {
        Path limit = Files.writeString(dir.resolve("limit.json"), ALLOW + " ".repeat(ProfileFiles.MAX_BYTES - ALLOW.length()));
        assertEquals(ProfileFiles.MAX_BYTES, ProfileFiles.read(limit).length());
        Path over = Files.writeString(dir.resolve("over.json"), ALLOW + " ".repeat(ProfileFiles.MAX_BYTES));
        assertRefused(over, over + ": larger than 1 MiB");
    }

    @Test
    void aSymlinkToARegularFileIsFollowed() throws Exception {
        Path link = Files.createSymbolicLink(dir.resolve("link.json"), Files.writeString(dir.resolve("a.json"), ALLOW));
        assertEquals(ALLOW, ProfileFiles.read(link));
        assertEquals("SCMP_ACT_ALLOW", ProfileReader.read(link).defaultAction());
    }

    @Test
    void missingFilesAndBytesThatAreNotUtf8AreNamed() throws Exception {
        assertRefused(dir.resolve("missing.json"), dir.resolve("missing.json") + ": no such file");
        Path latin1 = Files.write(dir.resolve("latin1.json"), new byte[] {'{', '"', (byte) 0xe9, '"', '}'});
        assertRefused(latin1, latin1 + ": not UTF-8 text");
    }

    private static void assertRefused(Path file, String message) {
        CompileException e = assertThrows(CompileException.class, () -> ProfileReader.read(file));
        assertEquals(Reason.UNREADABLE, e.reason());
        assertTrue(e.getMessage().startsWith(message), e.getMessage());
    }
}
