package org.attenuator.distribution;

import static org.attenuator.distribution.Distribution.freePort;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.attenuator.distribution.Distribution.Daemon;
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

    private static final Path NGINX = Nginx.BIN;

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
        assertTrue(Files.isExecutable(NGINX), "nginx is not installed (apt-get install nginx-light)");
        Daemon nginx = Nginx.start(dir, Files.createDirectories(dir.resolve("home")), port, "run", "--apply-point",
                "listen", "--profile", profile.toString(), "--", NGINX.toString(), "-c", conf.toString(), "-p",
                dir.toString());
        assertPostDeniedMkdirAfterListen(nginx, port);
    }

    private void assertPostDeniedMkdirAfterListen(Daemon nginx, int port) throws Exception {
        HttpClient client = HttpClient.newHttpClient();
        assertTrue(Files.isDirectory(dir.resolve("body")), "nginx made its temp directory before listen");
        for (int i = 0; i < 20; i++) {
            assertEquals(200, Nginx.get(client, port, "/"));
        }
        int post = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/up"))
                .timeout(Duration.ofSeconds(5)).POST(HttpRequest.BodyPublishers.ofString("x".repeat(100))).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
        assertEquals(200, Nginx.get(client, port, "/"), "still serving");
        String err = nginx.stop();
        String errorLog = Files.readString(dir.resolve("error.log"));
        assertEquals(500, post, errorLog + err);
        assertTrue(errorLog.lines().anyMatch(l -> l.contains("mkdir()") && l.contains("(1: Operation not permitted)")),
                errorLog);
    }

    private Path config(int port) throws IOException {
        return Nginx.config(dir, port, 64, " 1;\n  client_body_in_file_only on", """
                location = /up { proxy_pass http://127.0.0.1:%1$d/ok; }
                location = /ok { return 200; }
                """.formatted(port));
    }
}
