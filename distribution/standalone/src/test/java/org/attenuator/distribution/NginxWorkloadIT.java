package org.attenuator.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.attenuator.distribution.Distribution.freePort;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 6 on a real daemon, through the distribution as a user runs it: learn Debian's nginx under
 * load ({@code run --learn}), then enforce the learned profile kernel-only ({@code --profile
 * learned:KEY}) under the same load: every response 200, nothing in nginx's error log. A request
 * that needs a syscall never learned (a directory listing: getdents64) is denied and seen in nginx's
 * error log. Needs the Debian package nginx (or nginx-light); fails without it.
 */
class NginxWorkloadIT {

    private static final Path NGINX = Path.of("/usr/sbin/nginx");
    private static final Duration LOAD = Duration.ofSeconds(3);

    @TempDir
    Path dir;

    @Test
    void learnedUnderLoadThenEnforcedKernelOnlyWithZeroDenials() throws Exception {
        assertTrue(Files.isExecutable(NGINX), "nginx is not installed (apt-get install nginx-light; .ci/run does)");
        Path home = Files.createDirectories(dir.resolve("home"));
        int port = freePort();
        Path conf = config(port);
        String key = "nginx-it";

        // learn: two runs under load
        for (int run = 0; run < 2; run++) {
            Daemon learning = start(home, conf, port, "run", "--learn", key, "--", NGINX.toString(), "-c", conf.toString(),
                    "-p", dir.toString());
            Map<Integer, Long> statuses = load(port, "/");
            String err = learning.stop();
            assertEquals(Map.of(200, statuses.get(200)), statuses, "learning run " + run + ": " + err);
            assertTrue(err.contains("attenuator: learned " + key + ": "), err);
        }
        Path learned = home.resolve("learned").resolve(key + ".json");
        assertTrue(Files.isRegularFile(learned));

        // enforce, kernel-only
        Files.writeString(dir.resolve("error.log"), "");
        Daemon enforced = start(home, conf, port, "run", "--profile", "learned:" + key, "--", NGINX.toString(), "-c",
                conf.toString(), "-p", dir.toString());
        Map<Integer, Long> statuses = load(port, "/");
        // something new: a directory listing needs getdents64, which serving files never did
        int listing = get(HttpClient.newHttpClient(), port, "/files/");
        String err = enforced.stop();
        assertEquals(Map.of(200, statuses.get(200)), statuses, err);
        assertTrue(statuses.get(200) > 100, "load too small: " + statuses);
        String errorLog = Files.readString(dir.resolve("error.log"));
        assertTrue(listing != 200, "the listing failed (nginx closes the connection or answers 500): " + listing);
        List<String> lines = errorLog.lines().toList();
        assertTrue(lines.stream().anyMatch(l -> l.contains("Operation not permitted")), errorLog);
        assertTrue(lines.stream().allMatch(l -> l.contains("/files/")), "only the listing failed: " + errorLog);
        assertFalse(err.contains("Exception"), err);
    }

    private Path config(int port) throws IOException {
        Path www = Files.createDirectories(dir.resolve("www"));
        Files.writeString(www.resolve("index.html"), "hello\n");
        Files.createDirectories(www.resolve("files"));
        Files.writeString(www.resolve("files").resolve("a.txt"), "a\n");
        String conf = """
                daemon off;
                master_process off;
                worker_processes 1;
                pid %1$s/nginx.pid;
                error_log %1$s/error.log warn;
                events { worker_connections 256; }
                http {
                  access_log off;
                  client_body_temp_path %1$s/body;
                  proxy_temp_path %1$s/proxy;
                  fastcgi_temp_path %1$s/fcgi;
                  uwsgi_temp_path %1$s/uwsgi;
                  scgi_temp_path %1$s/scgi;
                  server {
                    listen 127.0.0.1:%2$d;
                    root %1$s/www;
                    location /files/ { autoindex on; }
                  }
                }
                """.formatted(dir, port);
        return Files.writeString(dir.resolve("nginx.conf"), conf);
    }

    private Daemon start(Path home, Path conf, int port, String... args) throws Exception {
        HttpClient client = HttpClient.newHttpClient();
        return Distribution.start(dir, home, () -> get(client, port, "/") == 200, args);
    }

    /** {@link #LOAD} of GETs from 4 threads; the count of each status (-1: no answer). */
    private static Map<Integer, Long> load(int port, String path) throws InterruptedException {
        ConcurrentHashMap<Integer, AtomicLong> counts = new ConcurrentHashMap<>();
        long end = System.nanoTime() + LOAD.toNanos();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            Thread thread = new Thread(() -> {
                HttpClient client = HttpClient.newHttpClient();
                while (System.nanoTime() < end) {
                    counts.computeIfAbsent(get(client, port, path), k -> new AtomicLong()).incrementAndGet();
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

    private static int get(HttpClient client, int port, String path) {
        try {
            return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }
}
