package org.attenuator.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.attenuator.distribution.Distribution.Result;
import org.attenuator.testsupport.TempHome;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Profile paths that are not regular files, typed as a user types them: {@code compile}, {@code run
 * --profile}, {@code explain} and {@code profile show} end at once with exit 2 and one line naming
 * the path and what it is. Before, /dev/zero ran the JVM out of memory and a FIFO hung for ever.
 */
class ProfileFileIT {

    private static final String ALLOW = "{\"defaultAction\":\"SCMP_ACT_ALLOW\"}";

    @RegisterExtension
    final TempHome temp = new TempHome();

    @Test
    void devZeroIsRefusedByEveryCommandThatReadsAProfile() throws Exception {
        for (List<String> command : List.of(List.of("compile", "/dev/zero"),
                List.of("run", "--profile", "/dev/zero", "--", "true"))) {
            assertRefused(command, "/dev/zero: not a regular file (a character device)");
        }
    }

    @Test
    void aFifoIsRefusedWithoutWaitingForAWriter() throws Exception {
        Path fifo = temp.dir().resolve("profile.json");
        assertEquals(0, new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor());
        for (List<String> command : List.of(List.of("run", "--kernel-only", "--profile", fifo.toString(), "--", "true"),
                List.of("explain", fifo.toString(), "openat"))) {
            assertRefused(command, fifo + ": not a regular file");
        }
    }

    @Test
    void aDirectoryAndAFileOverOneMebibyteAreRefused() throws Exception {
        Path big = temp.dir().resolve("big.json");
        Files.writeString(big, ALLOW + " ".repeat(2 << 20));
        assertRefused(List.of("compile", temp.dir().toString()), temp.dir() + ": not a regular file (a directory)");
        assertRefused(List.of("run", "--kernel-only", "--profile", big.toString(), "--", "true"),
                big + ": larger than 1 MiB");
    }

    @Test
    void aFifoPlantedInTheLearnedStoreIsRefusedByProfileShow() throws Exception {
        Path learned = Files.createDirectories(temp.home().resolve("learned"));
        Path fifo = learned.resolve("web.json");
        assertEquals(0, new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor());
        assertRefused(List.of("profile", "show", "web"), fifo + ": not a regular file");
    }

    @Test
    void aSymlinkToARegularFileIsTheUsersOwnPathAndIsRead() throws Exception {
        Path allow = Files.writeString(temp.dir().resolve("allow.json"), ALLOW);
        Path link = Files.createSymbolicLink(temp.dir().resolve("link.json"), allow);
        Result compile = Distribution.run(temp.home(), "compile", link.toString());
        assertEquals(0, compile.status(), compile.err());
        assertTrue(compile.out().contains("ret ALLOW"), compile.out());
    }

    private void assertRefused(List<String> command, String reason) throws Exception {
        Result ended = Distribution.run(temp.home(), command.toArray(String[]::new));
        assertEquals(2, ended.status(), command + ": " + ended.err());
        List<String> lines = ended.err().lines().filter(l -> !l.startsWith("attenuator: warning: ")).toList();
        assertEquals(1, lines.size(), command + ": " + ended.err());
        assertTrue(lines.get(0).contains(reason), command + ": " + ended.err());
        assertFalse(ended.err().contains("Exception"), command + ": " + ended.err());
    }
}
