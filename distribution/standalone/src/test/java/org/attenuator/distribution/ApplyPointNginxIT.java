package org.attenuator.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Apply point on a real daemon (issue 5, issue 6 item 4), through the distribution: nginx under
 * {@code run --apply-point listen}, with mkdir allowed only before the trigger. nginx creates its
 * temp directories before it listens (allowed); after listen it serves GETs (200), and a POST whose
 * body goes to a temp file (before it is proxied) in a directory level not yet made needs mkdir, which is denied: 500 and
 * nginx's {@code mkdir() ... failed (1: Operation not permitted)}, with a written profile
 * ({@code "attenuator": {"initOnly": [..]}}).
 */
class ApplyPointNginxIT {

    private static final Path NGINX = Path.of("/usr/sbin/nginx");

    @TempDir
    Path dir;

    @Test
    void writtenProfileAllowsMkdirOnlyBeforeListen() throws Exception {
        Path profile = Files.writeString(dir.resolve("init-only.json"), """
                {"defaultAction": "SCMP_ACT_ALLOW", "architectures": ["SCMP_ARCH_X86_64"], "syscalls": [],
                 "attenuator": {"initOnly": ["mkdir", "mkdirat"]}}
                """);
        int port = freePort();
        Path conf = config(port);
        Process p = start(port, "run", "--apply-point", "listen", "--profile", profile.toString(), "--",
                NGINX.toString(), "-c", conf.toString(), "-p", dir.toString());
        assertPostDeniedMkdirAfterListen(p, port);
    }

    private void assertPostDeniedMkdirAfterListen(Process p, int port) throws Exception {
        HttpClient client = HttpClient.newHttpClient();
        assertTrue(Files.isDirectory(dir.resolve("body")), "nginx made its temp directory before listen");
        for (int i = 0; i < 20; i++) {
            assertEquals(200, get(client, port));
        }
        int post = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/up"))
                .timeout(Duration.ofSeconds(5)).POST(HttpRequest.BodyPublishers.ofString("x".repeat(100))).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
        assertEquals(200, get(client, port), "still serving");
        String err = stop(p);
        String errorLog = Files.readString(dir.resolve("error.log"));
        assertEquals(500, post, errorLog + err);
        assertTrue(errorLog.lines().anyMatch(l -> l.contains("mkdir()") && l.contains("(1: Operation not permitted)")),
                errorLog);
    }

    private Path config(int port) throws IOException {
        Path www = Files.createDirectories(dir.resolve("www"));
        Files.writeString(www.resolve("index.html"), "hello\n");
        return Files.writeString(dir.resolve("nginx.conf"), """
                daemon off;
                master_process off;
                worker_processes 1;
                pid %1$s/nginx.pid;
                error_log %1$s/error.log warn;
                events { worker_connections 64; }
                http {
                  access_log off;
                  client_body_temp_path %1$s/body 1;
                  client_body_in_file_only on;
                  proxy_temp_path %1$s/proxy;
                  fastcgi_temp_path %1$s/fcgi;
                  uwsgi_temp_path %1$s/uwsgi;
                  scgi_temp_path %1$s/scgi;
                  server {
                    listen 127.0.0.1:%2$d;
                    root %1$s/www;
                    location = /up { proxy_pass http://127.0.0.1:%2$d/ok; }
                    location = /ok { return 200; }
                  }
                }
                """.formatted(dir, port));
    }

    private Process start(int port, String... args) throws Exception {
        assertTrue(Files.isExecutable(NGINX), "nginx is not installed (apt-get install nginx-light)");
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("attenuator.dist", "target/attenuator"), "bin", "attenuator").toString());
        cmd.addAll(List.of(args));
        Path stderr = dir.resolve("stderr.txt");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(stderr.toFile())
                .redirectOutput(ProcessBuilder.Redirect.DISCARD);
        pb.environment().put("ATTENUATOR_HOME", Files.createDirectories(dir.resolve("home")).toString());
        Process p = pb.start();
        HttpClient client = HttpClient.newHttpClient();
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < end) {
            assertTrue(p.isAlive(), () -> "ended early: " + read(stderr) + read(dir.resolve("error.log")));
            if (get(client, port) == 200) {
                return p;
            }
            Thread.sleep(50);
        }
        p.destroyForcibly();
        throw new AssertionError("nginx did not answer: " + read(stderr));
    }

    private String stop(Process p) throws Exception {
        p.destroy(); // SIGTERM, forwarded to nginx
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "attenuator did not end");
        return read(dir.resolve("stderr.txt"));
    }

    private static int get(HttpClient client, int port) {
        try {
            return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/"))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return e.toString();
        }
    }
}
