package org.attenuator.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.attenuator.distribution.Distribution.Result;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/**
 * Programs that exec others (a shell, python3 with subprocess), learned as a user learns them, then
 * run with what was learned in every enforcing mode: each must work as it did while learning. Both
 * exec with execve only, so the learned profiles have no execveat.
 */
class LearnedExecIT {

    /** Programs that exec others, by learning key: a shell, and python3 starting a subprocess. */
    private static final Map<String, List<String>> PROGRAMS = Map.of(
            "sh-exec", List.of("/bin/sh", "-c", "/bin/echo hi; /bin/true"),
            "python3-exec", List.of("/usr/bin/python3", "-c",
                    "import subprocess, sys; sys.exit(subprocess.run(['/bin/echo', 'hi']).returncode)"));

    @TempDir
    static Path home;

    @BeforeAll
    static void learnTwice() throws Exception {
        for (Map.Entry<String, List<String>> program : PROGRAMS.entrySet()) {
            for (int i = 0; i < 2; i++) {
                Result learning = Distribution.run(home, command(program.getValue(), "--learn=" + program.getKey()));
                assertEquals(0, learning.status(), learning::toString);
                assertEquals("hi\n", learning.out(), learning::toString);
            }
            assertTrue(Files.isRegularFile(home.resolve("learned").resolve(program.getKey() + ".json")));
        }
    }

    static Stream<Arguments> programsAndModes() {
        return PROGRAMS.keySet().stream().sorted().flatMap(key -> Stream.of(
                "--profile=learned:KEY", "--profile=learned:KEY --kernel-only", "--learn=KEY --enforce-after=1")
                .map(mode -> Arguments.of(key, mode)));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("programsAndModes")
    void aLearnedProgramStillExecsWhenEnforced(String key, String mode) throws Exception {
        Result enforced = Distribution.run(home, command(PROGRAMS.get(key), mode.replace("KEY", key).split(" ")));
        assertEquals(0, enforced.status(), enforced::toString);
        assertEquals("hi\n", enforced.out(), enforced::toString);
    }

    private static String[] command(List<String> program, String... options) {
        List<String> cmd = new ArrayList<>(List.of("run"));
        cmd.addAll(List.of(options));
        cmd.add("--");
        cmd.addAll(program);
        return cmd.toArray(String[]::new);
    }
}
