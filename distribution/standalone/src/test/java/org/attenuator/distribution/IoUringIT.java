package org.attenuator.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.attenuator.distribution.Distribution.Result;
import org.attenuator.testsupport.TempHome;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The io_uring walk-around from the attacker's side: a target that may not mkdirat makes the
 * directory anyway with IORING_OP_MKDIRAT (raw io_uring syscalls, src/test/c/uring_mkdirat.c).
 * The built-in default denies io_uring_setup, so the walk-around fails there; a profile that
 * allows io_uring while denying mkdirat gets one warning at compile and at run.
 */
class IoUringIT {

    private static final Path URING_MKDIRAT_C = Path.of("src/test/c/uring_mkdirat.c");
    private static final String WARNING = "allows io_uring_setup, whose ops MKDIRAT bypass its rules for mkdirat";

    @TempDir
    Path dir;
    private Path home;
    private Path attacker;

    @BeforeEach
    void build() throws Exception {
        home = TempHome.in(dir);
        attacker = Distribution.compile(URING_MKDIRAT_C, dir.resolve("uring_mkdirat"));
    }

    @Test
    void theBuiltinDefaultDeniesIoUringSoTheWalkAroundFails() throws Exception {
        Path target = dir.resolve("made-under-default");
        Result run = Distribution.run(home, "run", "--kernel-only", "--", attacker.toString(), target.toString());
        assertEquals(3, run.status(), run.err());
        assertTrue(run.err().contains("io_uring_setup: Operation not permitted"), run.err());
        assertFalse(Files.exists(target));
    }

    @Test
    void dockers2010ProfileIsKeptByName() throws Exception {
        Path target = dir.resolve("made-under-20.10");
        Result run = Distribution.run(home, "run", "--kernel-only", "--profile", "builtin:docker-20.10", "--",
                attacker.toString(), target.toString());
        assertEquals(0, run.status(), run.err());
        assertTrue(Files.isDirectory(target), "20.10 allows io_uring, as it always did");
        Result unknown = Distribution.run(home, "run", "--profile", "builtin:docker-19", "--", "/bin/true");
        assertEquals(2, unknown.status(), unknown.err());
        assertEquals("attenuator run: no built-in profile docker-19 (built in: docker-default, docker-20.10)",
                unknown.err().strip());
    }

    @Test
    void aProfileThatAllowsIoUringButDeniesMkdiratIsWarnedAboutAtCompileAndRun() throws Exception {
        Path profile = Files.writeString(dir.resolve("no-mkdir.json"), "{\"defaultAction\":\"SCMP_ACT_ALLOW\","
                + "\"syscalls\":[{\"names\":[\"mkdirat\",\"mkdir\"],\"action\":\"SCMP_ACT_ERRNO\"}]}");
        Result compile = Distribution.run(home, "compile", "--format", "stats", profile.toString());
        assertEquals(0, compile.status(), compile.err());
        // the command's own warning line, no logger's time, thread or class name
        assertEquals(List.of("attenuator: warning: profile " + profile + " " + WARNING), compile.err().lines().toList());

        Path target = dir.resolve("made-despite-the-profile");
        Result run = Distribution.run(home, "run", "--kernel-only", "--profile", profile.toString(), "--",
                attacker.toString(), target.toString());
        assertEquals(List.of("attenuator: warning: profile " + profile + " " + WARNING), run.err().lines().toList());
        // what the warning is about: the kernel made the directory the profile denies
        assertEquals(0, run.status(), run.err());
        assertTrue(Files.isDirectory(target));
    }
}
