package org.attenuator.cli.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.attenuator.profile.ProfileCompiler;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code compile -o PATH} by what PATH is: a regular file is replaced atomically, /dev/null and a
 * FIFO are written in place and stay what they are, a symlink or a directory is refused.
 */
class CompileOutputTest {

    @TempDir
    Path dir;
    private Path profile;
    private final ByteArrayOutputStream stdout = new ByteArrayOutputStream();

    @BeforeEach
    void profile() throws Exception {
        profile = Files.writeString(dir.resolve("p.json"), "{\"defaultAction\":\"SCMP_ACT_ALLOW\"}");
    }

    private int compile(String... args) throws CommandException {
        Terminal terminal = new Terminal(InputStream.nullInputStream(), new PrintStream(stdout), System.err);
        List<String> argv = new ArrayList<>(List.of("--format", "bpf"));
        argv.addAll(List.of(args));
        argv.add(profile.toString());
        return new CompileCommand(ProfileCompiler.create()).run(Arguments.parse(argv, CompileCommand.SPEC), terminal);
    }

    private byte[] program() throws Exception {
        Path reference = dir.resolve("reference.bpf");
        compile("-o", reference.toString());
        return Files.readAllBytes(reference);
    }

    @Test
    void aRegularFileIsReplacedAndANewPathCreated() throws Exception {
        Path out = Files.writeString(dir.resolve("out.bpf"), "old contents, longer than the program, to be gone");
        assertEquals(0, compile("-o", out.toString()));
        assertArrayEquals(program(), Files.readAllBytes(out));
    }

    @Test
    void devNullStaysACharacterDevice() throws Exception {
        assertEquals(0, compile("-o", "/dev/null"));
        assertEquals(0020000, (Integer) Files.getAttribute(Path.of("/dev/null"), "unix:mode") & 0170000);
        assertEquals(0666, (Integer) Files.getAttribute(Path.of("/dev/null"), "unix:mode") & 0777);
    }

    @Test
    void aFifoIsWrittenToItsReaderAndStaysAFifo() throws Exception {
        byte[] expected = program();
        Path fifo = dir.resolve("fifo");
        assertEquals(0, new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor());
        Process reader = new ProcessBuilder("cat", fifo.toString()).start();
        try {
            assertEquals(0, compile("-o", fifo.toString()));
            // were the FIFO replaced, its reader would wait for a writer for ever: bound it
            assertArrayEquals(expected, assertTimeoutPreemptively(Duration.ofSeconds(30),
                    () -> reader.getInputStream().readAllBytes()));
            assertEquals(0, reader.waitFor());
        } finally {
            reader.destroyForcibly();
        }
        assertEquals(0010000, (Integer) Files.getAttribute(fifo, "unix:mode", LinkOption.NOFOLLOW_LINKS) & 0170000);
    }

    @Test
    void aSymlinkIsRefusedAndItsTargetUntouched() throws Exception {
        Path victim = Files.writeString(dir.resolve("victim"), "precious");
        Path link = Files.createSymbolicLink(dir.resolve("link.bpf"), victim);
        CommandException e = assertThrows(CommandException.class, () -> compile("-o", link.toString()));
        assertEquals(2, e.status());
        assertEquals("will not write " + link + ": a symbolic link (give the path it points to)", e.getMessage());
        assertEquals("precious", Files.readString(victim));
        assertTrue(Files.isSymbolicLink(link));
    }

    @Test
    void aDirectoryIsRefusedAndDashIsStdout() throws Exception {
        CommandException e = assertThrows(CommandException.class, () -> compile("-o", dir.toString()));
        assertEquals("will not write " + dir + ": a directory", e.getMessage());
        byte[] expected = program();
        stdout.reset();
        assertEquals(0, compile("-o", "-"));
        assertArrayEquals(expected, stdout.toByteArray());
        assertTrue(Files.notExists(Path.of("-")));
    }
}
