package org.attenuator.distribution;

import static org.attenuator.distribution.Distribution.freePort;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.attenuator.distribution.Distribution.Daemon;
import org.attenuator.testsupport.TempHome;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Learning on a real daemon, through the distribution as a user runs it: learn Debian's nginx under
 * load ({@code run --learn}), then enforce the learned profile kernel-only ({@code --profile
 * learned:KEY}) under the same load: every response 200, nothing in nginx's error log. A request
 * that needs a syscall never learned (a directory listing: getdents64) is denied and seen in nginx's
 * error log. Needs the Debian package nginx (or nginx-light); fails without it.
 */
class NginxWorkloadIT {

    private static final Path NGINX = Nginx.BIN;
    private static final Duration LOAD = Duration.ofSeconds(3);
    private static final Duration LOAD_LIMIT = Duration.ofSeconds(120);
    private static final int REQUESTS = 100;

    @TempDir
    Path dir;

    @Test
    void learnedUnderLoadThenEnforcedKernelOnlyWithZeroDenials() throws Exception {
        assertTrue(Files.isExecutable(NGINX), "nginx is not installed (apt-get install nginx-light; .ci/run does)");
        Path home = TempHome.in(dir);
        int port = freePort();
        Path conf = config(port);
        String key = "nginx-it";

        // learn: two runs under load
        for (int run = 0; run < 2; run++) {
            Daemon learning = Nginx.start(dir, home, port, "run", "--learn=" + key, "--", NGINX.toString(), "-c",
                    conf.toString(), "-p", dir.toString());
            Map<Integer, Long> statuses = load(port, "/");
            String err = learning.stop();
            assertEquals(Map.of(200, statuses.get(200)), statuses, "learning run " + run + ": " + err);
            assertTrue(err.contains("attenuator: learned " + key + ": "), err);
        }
        Path learned = home.resolve("learned").resolve(key + ".json");
        assertTrue(Files.isRegularFile(learned));

        // enforce, kernel-only
        Files.writeString(dir.resolve("error.log"), "");
        Daemon enforced = Nginx.start(dir, home, port, "run", "--profile", "learned:" + key, "--", NGINX.toString(),
                "-c", conf.toString(), "-p", dir.toString());
        Map<Integer, Long> statuses = load(port, "/");
        // something new: a directory listing needs getdents64, which serving files never did
        int listing = Nginx.get(HttpClient.newHttpClient(), port, "/files/");
        String err = enforced.stop();
        assertEquals(Map.of(200, statuses.get(200)), statuses, err);
        assertTrue(statuses.get(200) >= REQUESTS, "load too small: " + statuses);
        String errorLog = Files.readString(dir.resolve("error.log"));
        assertTrue(listing != 200, "the listing failed (nginx closes the connection or answers 500): " + listing);
        List<String> lines = errorLog.lines().toList();
        assertTrue(lines.stream().anyMatch(l -> l.contains("Operation not permitted")), errorLog);
        assertTrue(lines.stream().allMatch(l -> l.contains("/files/")), "only the listing failed: " + errorLog);
        assertFalse(err.contains("Exception"), err);
    }

    private Path config(int port) throws IOException {
        Path files = Files.createDirectories(dir.resolve("www").resolve("files"));
        Files.writeString(files.resolve("a.txt"), "a\n");
        return Nginx.config(dir, port, 256, "", "location /files/ { autoindex on; }");
    }

    /**
     * GETs from 4 threads for {@link #LOAD} and at least {@link #REQUESTS} of them (a loaded machine
     * serves fewer in the time: a count, not a rate, is what this test checks), at most {@link #LOAD_LIMIT};
     * the count of each status (-1: no answer).
     */
    private static Map<Integer, Long> load(int port, String path) throws InterruptedException {
        ConcurrentHashMap<Integer, AtomicLong> counts = new ConcurrentHashMap<>();
        AtomicLong sent = new AtomicLong();
        long start = System.nanoTime();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            Thread thread = new Thread(() -> {
                HttpClient client = HttpClient.newHttpClient();
                for (long elapsed = 0; elapsed < LOAD_LIMIT.toNanos()
                        && (elapsed < LOAD.toNanos() || sent.get() < REQUESTS); elapsed = System.nanoTime() - start) {
                    sent.incrementAndGet();
                    counts.computeIfAbsent(Nginx.get(client, port, path), k -> new AtomicLong()).incrementAndGet();
                }
            });
            thread.start();
            threads.add(thread);
        }
        for (Thread t : threads) {
            t.join();
        }
        Map<Integer, Long> result = new TreeMap<>();
        counts.forEach((k, v) -> result.put(k, v.get()));
        return result;
    }
}
