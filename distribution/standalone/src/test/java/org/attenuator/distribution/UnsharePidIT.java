package org.attenuator.distribution;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.attenuator.distribution.Distribution.Result;
import org.junit.jupiter.api.Test;

/**
 * {@code run --unshare pid} seen from the target's side: it is pid 2 under a reaper, cannot signal
 * the supervisor JVM (which a target without the option can), its status and run's signals go
 * through the reaper, and supervision still works; a bad value or a caller without CAP_SYS_ADMIN
 * is one line and exit 2. Run as root.
 */
class UnsharePidIT extends DistributionTest {

    private static final Duration START = Duration.ofSeconds(60);

    @Test
    void theTargetIsPid2AndCannotSignalTheSupervisor() throws Exception {
        assertEquals("pid 2\nkill: No such process\n", probeSupervisor("--unshare", "pid"));
    }

    @Test
    void withoutUnshareTheTargetCanSignalTheSupervisor() throws Exception {
        String out = probeSupervisor();
        assertFalse(out.startsWith("pid 2\n"), out);
        assertTrue(out.endsWith("kill: ok\n"), out);
    }

    @Test
    void runsStatusIsTheTargetsThroughTheReaper() throws Exception {
        Result exited = Distribution.run(dir.resolve("home"), "run", "--unshare", "pid", "--", "sh", "-c", "exit 7");
        assertEquals(7, exited.status(), exited.toString());
        Result killed = Distribution.run(dir.resolve("home"), "run", "--unshare", "pid", "--", "sh", "-c", "kill -TERM $$");
        assertEquals(128 + 15, killed.status(), killed.toString());
    }

    @Test
    void sigtermSentToRunReachesTheTarget() throws Exception {
        Path out = dir.resolve("out.txt");
        Process run = start(out, "run", "--unshare", "pid", "--", "sh", "-c",
                "trap 'echo got TERM; kill $! 2>/dev/null; exit 79' TERM; echo pid $$; sleep 60 & wait $!");
        await().atMost(START).until(() -> {
            assertTrue(run.isAlive(), () -> "run ended early: " + stderr());
            return Files.readString(out).contains("pid 2\n");
        });

        assertEquals(0, new ProcessBuilder("kill", "-TERM", Long.toString(run.pid())).start().waitFor());

        assertTrue(run.waitFor(30, TimeUnit.SECONDS), "run did not end after SIGTERM");
        assertEquals("pid 2\ngot TERM\n", Files.readString(out));
        assertEquals(79, run.exitValue(), stderr());
    }

    @Test
    void aNotifiedCallIsStillSupervised() throws Exception {
        Path profile = Files.writeString(dir.resolve("notify-mkdir.json"),
                "{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"names\":[\"mkdir\",\"mkdirat\"],\"action\":\"SCMP_ACT_NOTIFY\"}]}");
        Path made = dir.resolve("made");
        Result r = Distribution.run(dir.resolve("home"), "run", "--unshare", "pid", "--profile", profile.toString(),
                "--", "sh", "-c", "echo pid $$; /bin/mkdir " + made);
        assertEquals(1, r.status(), r.toString());
        assertTrue(r.out().startsWith("pid 2\n"), r.toString()); // and the shell's exec of mkdir went through
        assertTrue(r.err().contains("Operation not permitted"), r.toString());
        assertFalse(Files.exists(made), "the undecided mkdir was denied");
    }

    @Test
    void anotherNamespaceIsOneLineAndExit2() throws Exception {
        Result r = Distribution.run(dir.resolve("home"), "run", "--unshare", "net", "--", "true");
        assertEquals(2, r.status(), r.toString());
        assertEquals("attenuator run: --unshare net: unknown namespace (only pid)\n", r.err());
    }

    @Test
    void withoutCapSysAdminIsOneLineAndExit2() throws Exception {
        Path marker = dir.resolve("ran");
        ProcessBuilder pb = new ProcessBuilder("setpriv", "--reuid=1000", "--regid=1000", "--clear-groups",
                Distribution.bin().toString(), "run", "--unshare", "pid", "--", "/bin/touch", marker.toString())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        pb.environment().put("HOME", "/home/cloudsdk");
        pb.environment().remove("ATTENUATOR_HOME");
        Path err = dir.resolve("err.txt");
        pb.redirectError(err.toFile()).redirectOutput(ProcessBuilder.Redirect.DISCARD);
        Files.setPosixFilePermissions(dir, java.nio.file.attribute.PosixFilePermissions.fromString("rwxrwxrwx"));
        Process p = pb.start();
        started.add(p);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(2, p.exitValue(), Files.readString(err));
        assertEquals("attenuator run: --unshare pid needs CAP_SYS_ADMIN (run as root)\n", Files.readString(err));
        assertFalse(Files.exists(marker), "nothing ran");
    }

    /**
     * Runs a target that prints its pid, waits for the supervisor's pid in a file, then tries
     * {@code kill -0} on it from inside: "kill: ok" or "kill: " and the shell's reason.
     */
    private String probeSupervisor(String... options) throws Exception {
        Path out = dir.resolve("out.txt");
        Path jvm = dir.resolve("jvm");
        List<String> args = new ArrayList<>(List.of("run"));
        args.addAll(List.of(options));
        args.addAll(List.of("--", "sh", "-c", "echo pid $$; while [ ! -s " + jvm + " ]; do sleep 0.05; done; "
                + "if e=$(kill -0 $(cat " + jvm + ") 2>&1); then echo 'kill: ok'; else echo \"kill: ${e##*: }\"; fi"));
        Process run = start(out, args.toArray(String[]::new));
        await().atMost(START).until(() -> {
            assertTrue(run.isAlive(), () -> "run ended early: " + stderr());
            return Files.readString(out).startsWith("pid ");
        });
        Files.writeString(dir.resolve("jvm.tmp"), Long.toString(run.pid()));
        Files.move(dir.resolve("jvm.tmp"), jvm);
        assertTrue(run.waitFor(30, TimeUnit.SECONDS), "run did not end");
        assertEquals(0, run.exitValue(), stderr());
        return Files.readString(out);
    }

    private Process start(Path out, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Distribution.bin().toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(out.toFile())
                .redirectError(dir.resolve("stderr.txt").toFile()).redirectInput(ProcessBuilder.Redirect.PIPE);
        pb.environment().put("ATTENUATOR_HOME", dir.resolve("home").toString());
        Process p = pb.start();
        started.add(p);
        return p;
    }

    private String stderr() {
        return Distribution.read(dir.resolve("stderr.txt"));
    }
}
