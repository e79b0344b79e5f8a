package org.attenuator.distribution;

import static org.attenuator.distribution.Distribution.freePort;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.attenuator.distribution.Distribution.Daemon;
import org.attenuator.profile.BuiltinProfiles;
import org.attenuator.profile.Profile;
import org.attenuator.profile.ProfileReader;
import org.attenuator.testsupport.TempHome;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Learning on a cache under its own benchmark tool, through the distribution as a user runs it: learn
 * Debian's redis-server under {@code redis-benchmark} ({@code run --learn}, twice), then enforce the
 * learned profile kernel-only ({@code --profile learned:KEY}) under the same benchmark: every request
 * answered, no error from the benchmark, no failure in redis's log, and redis shuts down cleanly on
 * SIGTERM. Needs the Debian packages redis-server and redis-tools; fails without them.
 */
class RedisWorkloadIT {

    private static final Path REDIS = Path.of("/usr/bin/redis-server");
    private static final Path BENCHMARK = Path.of("/usr/bin/redis-benchmark");
    private static final List<String> TESTS = List.of("SET", "GET", "INCR", "LPUSH", "LPOP");
    /** A failure in redis's log: what its error paths print (the overcommit warning aside). */
    private static final Pattern FAILURE = Pattern.compile(
            "(?i)error|fail|can't|could not|unable|not permitted|denied|bad file|ENOSYS|EPERM");

    @TempDir
    Path dir;

    @Test
    void learnedUnderBenchmarkThenEnforcedKernelOnlyWithZeroDenials() throws Exception {
        assertTrue(Files.isExecutable(REDIS), "redis-server is not installed (apt-get install redis-server; .ci/run does)");
        assertTrue(Files.isExecutable(BENCHMARK), "redis-benchmark is not installed (apt-get install redis-tools; .ci/run does)");
        Path home = TempHome.in(dir);
        int port = freePort();
        String key = "redis-it";

        // learn: two runs under the benchmark
        for (int run = 0; run < 2; run++) {
            Path log = dir.resolve("learn" + run + ".log");
            Daemon learning = start(home, port, log, "run", "--learn=" + key);
            String bench = benchmark(port);
            String err = learning.stop();
            assertEquals(0, learning.process().exitValue(), "learning run " + run + ": " + err);
            assertAnswered(bench, "learning run " + run + ": " + err);
            assertTrue(err.contains("attenuator: learned " + key + ": "), err);
            assertNoFailure(log);
        }
        Path learned = home.resolve("learned").resolve(key + ".json");
        assertTrue(Files.isRegularFile(learned));

        // enforce, kernel-only
        Path log = dir.resolve("enforce.log");
        Daemon enforced = start(home, port, log, "run", "--profile", "learned:" + key);
        String bench = benchmark(port);
        String reply = command(port, "DBSIZE");
        String err = enforced.stop();
        assertAnswered(bench, err);
        assertTrue(reply.matches(":[1-9][0-9]*\r\n"), "the benchmark's keys are there: " + reply);
        assertEquals(0, enforced.process().exitValue(), "redis exits cleanly on SIGTERM: " + err);
        assertNoFailure(log);
        assertTrue(Files.readString(log).contains("ready to exit"), Files.readString(log));
        assertFalse(err.contains("Exception"), err);

        Set<String> allowed = allowed(ProfileReader.read(learned));
        Set<String> docker = allowed(BuiltinProfiles.dockerDefault());
        assertTrue(allowed.size() < docker.size() / 2, allowed.size() + " of Docker's " + docker.size() + ": " + allowed);
    }

    /** redis-server in the foreground under {@code bin/attenuator ARGS --}, answering PING. */
    private Daemon start(Path home, int port, Path log, String... args) throws Exception {
        String[] cmd = new String[args.length + 14];
        System.arraycopy(args, 0, cmd, 0, args.length);
        System.arraycopy(new String[] {"--", REDIS.toString(), "--bind", "127.0.0.1", "--port", Integer.toString(port),
                "--save", "", "--appendonly", "no", "--dir", dir.toString(), "--logfile", log.toString()}, 0, cmd,
                args.length, 14);
        return Distribution.start(dir, home, () -> "+PONG\r\n".equals(command(port, "PING")), cmd);
    }

    /** {@code redis-benchmark -q} of {@link #TESTS} from 4 clients; its output. */
    private String benchmark(int port) throws Exception {
        Path out = Files.createTempFile(dir, "benchmark", ".txt");
        Process p = new ProcessBuilder(BENCHMARK.toString(), "-h", "127.0.0.1", "-p", Integer.toString(port), "-q",
                "-n", "2000", "-c", "4", "-t", String.join(",", TESTS).toLowerCase()).redirectErrorStream(true)
                .redirectOutput(out.toFile()).start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("redis-benchmark hangs: " + Files.readString(out));
        }
        String text = Files.readString(out);
        assertEquals(0, p.exitValue(), text);
        return text;
    }

    /** Every test of the benchmark reports its numbers, no error. */
    private static void assertAnswered(String bench, String context) {
        List<String> lines = bench.lines().flatMap(l -> List.of(l.split("\r")).stream()).map(String::strip).toList();
        for (String test : TESTS) {
            assertTrue(lines.stream().anyMatch(l -> l.matches(test + ": [0-9.]+ requests per second.*")),
                    test + " reports no numbers: " + bench + "\n" + context);
        }
        assertFalse(Pattern.compile("(?i)error|refused|reset|timeout").matcher(bench).find(), bench + "\n" + context);
    }

    private static void assertNoFailure(Path log) throws IOException {
        String text = Files.readString(log);
        List<String> failures = text.lines().filter(l -> !l.contains("WARNING Memory overcommit"))
                .filter(l -> FAILURE.matcher(l).find()).toList();
        assertEquals(List.of(), failures, text);
        assertTrue(text.contains("Ready to accept connections"), text);
    }

    /** One inline command on a fresh connection; the reply (up to 256 bytes), or "" when none. */
    private static String command(int port, String command) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 1000);
            s.setSoTimeout(30_000);
            OutputStream out = s.getOutputStream();
            out.write((command + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            byte[] buf = new byte[256];
            int n = 0;
            while (n == 0 || buf[n - 1] != '\n') {
                int r = in.read(buf, n, buf.length - n);
                if (r < 0 || n + r == buf.length) {
                    return new String(buf, 0, Math.max(n, 0) + Math.max(r, 0), StandardCharsets.US_ASCII);
                }
                n += r;
            }
            return new String(buf, 0, n, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            return "";
        }
    }

    private static Set<String> allowed(Profile profile) {
        Set<String> names = new TreeSet<>();
        profile.syscalls().stream().filter(e -> "SCMP_ACT_ALLOW".equals(e.action())).forEach(e -> names.addAll(e.allNames()));
        return names;
    }
}
