package org.attenuator.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.attenuator.distribution.Distribution.Daemon;
import org.attenuator.testsupport.TempHome;
import org.attenuator.testsupport.Waits;
import org.junit.jupiter.api.Test;

/**
 * A routed denial outlives its supervisor: under {@code run --deny-log --fallback allow}, a target
 * whose profile denies mkdir with EACCES kills the `run` JVM (it shares its uid) and goes on calling
 * mkdir. The keeper answers from then on; it must give the profile's EACCES, never the fallback's
 * allow.
 */
class DenyLogFallbackIT extends DistributionTest {

    private static final Path SOURCE = Path.of("src/test/resources/org/attenuator/distribution/mkdir_loop.c");
    private static final int CALLS = 0, EACCES = 1, ALLOWED = 2, OTHER = 3, OTHER_ERRNO = 4;

    @Test
    void theKeeperAnswersARoutedDenialWithTheProfilesErrnoNotTheFallback() throws Exception {
        Path loop = Distribution.compile(SOURCE, dir.resolve("mkdir_loop"));
        Path profile = Files.writeString(dir.resolve("deny-mkdir.json"), """
                {"defaultAction": "SCMP_ACT_ALLOW",
                 "syscalls": [{"names": ["mkdir"], "action": "SCMP_ACT_ERRNO", "errnoRet": 13}]}
                """);
        Path home = TempHome.in(dir);
        Path counters = dir.resolve("counters");
        Path log = dir.resolve("deny.jsonl");
        Path go = dir.resolve("go");
        // sh's parent is the fork server, whose parent is the supervisor JVM: the loop runs under
        // the supervisor until this test saw it answered and logged (the file go), then under the keeper
        String attack = "\"$0\" \"$1\" \"$2\" \"$3\" & server=$(awk '/^PPid:/ {print $2}' /proc/$$/status);"
                + " jvm=$(awk '/^PPid:/ {print $2}' /proc/$server/status);"
                + " while [ ! -e \"$4\" ]; do sleep 0.05; done; kill -9 \"$jvm\"; wait";
        Path stderr = dir.resolve("run.stderr");
        ProcessBuilder pb = new ProcessBuilder(Distribution.bin().toString(), "run", "--deny-log=" + log, "--fallback",
                "allow", "--profile", profile.toString(), "--", "/bin/sh", "-c", attack, loop.toString(),
                counters.toString(), dir.toString(), dir.resolve("stop").toString(), go.toString())
                .redirectError(stderr.toFile()).redirectOutput(ProcessBuilder.Redirect.DISCARD);
        pb.environment().put("ATTENUATOR_HOME", home.toString());
        Daemon run = new Daemon(pb.start(), stderr);
        started.add(run.process());

        Waits.until(() -> get(counters, EACCES) >= 1000 && Distribution.read(log).contains("\"syscall\":\"mkdir\""),
                Duration.ofSeconds(60), () -> "routed and logged while the supervisor lived: " + counts(counters)
                        + ", log: " + Distribution.read(log) + run.stderrSoFar());
        Files.createFile(go);
        assertTrue(run.process().waitFor(60, TimeUnit.SECONDS), "the target killed its supervisor: " + run.stderrSoFar());
        assertEquals(137, run.process().exitValue(), "run's JVM died of SIGKILL: " + run.stderrSoFar());
        long before = get(counters, CALLS);
        Waits.until(() -> get(counters, CALLS) >= before + 2000, Duration.ofSeconds(30),
                () -> "answered by the keeper: " + counts(counters));
        assertEquals(0, get(counters, ALLOWED), () -> "the keeper allowed a denied mkdir: " + counts(counters));
        // One call the JVM had received but not yet recorded when it died has no known syscall: the
        // keeper answers it EPERM, never allow (a denied mkdir must not get through); any other is a fault
        long others = get(counters, OTHER);
        assertTrue(others == 0 || others == 1 && get(counters, OTHER_ERRNO) == 1,
                () -> "another errno than EACCES: " + counts(counters));
        assertTrue(Files.notExists(dir.resolve("x")));
        Files.createFile(dir.resolve("stop"));
    }

    private static long get(Path counters, int i) {
        try {
            byte[] b = Files.readAllBytes(counters);
            return b.length < 40 ? 0 : ByteBuffer.wrap(b).order(ByteOrder.nativeOrder()).getLong(i * 8);
        } catch (IOException e) {
            return 0;
        }
    }

    private static String counts(Path counters) {
        return "calls " + get(counters, CALLS) + ", EACCES " + get(counters, EACCES) + ", allowed "
                + get(counters, ALLOWED) + ", other " + get(counters, OTHER) + " (the last: errno " + get(counters, OTHER_ERRNO) + ")";
    }
}
