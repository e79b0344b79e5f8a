package org.attenuator.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.attenuator.distribution.Distribution.Result;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/**
 * A shell that execs other programs, learned as a user learns it, then run with what was learned in
 * every enforcing mode: it must work as it did while learning. The shell execs with execve only, so
 * the learned profile has no execveat.
 */
class LearnedExecIT {

    private static final List<String> SHELL = List.of("/bin/sh", "-c", "/bin/echo hi; /bin/true");

    private static final String KEY = "sh-exec";

    @TempDir
    static Path home;

    @BeforeAll
    static void learnTwice() throws Exception {
        for (int i = 0; i < 2; i++) {
            Result learning = Distribution.run(home, command("--learn=" + KEY));
            assertEquals(0, learning.status(), learning::toString);
            assertEquals("hi\n", learning.out(), learning::toString);
        }
        assertTrue(Files.isRegularFile(home.resolve("learned").resolve(KEY + ".json")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"--profile=learned:KEY", "--profile=learned:KEY --kernel-only", "--learn=KEY --enforce-after=1"})
    void aLearnedShellStillExecsWhenEnforced(String mode) throws Exception {
        Result enforced = Distribution.run(home, command(mode.replace("KEY", KEY).split(" ")));
        assertEquals(0, enforced.status(), enforced::toString);
        assertEquals("hi\n", enforced.out(), enforced::toString);
    }

    private static String[] command(String... options) {
        List<String> cmd = new ArrayList<>(List.of("run"));
        cmd.addAll(List.of(options));
        cmd.add("--");
        cmd.addAll(SHELL);
        return cmd.toArray(String[]::new);
    }
}
