package org.attenuator.distribution;

import static org.attenuator.distribution.Distribution.freePort;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import org.attenuator.distribution.Distribution.Daemon;
import org.attenuator.testsupport.TempHome;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Apply point on a real daemon, through the distribution: nginx under
 * {@code run --apply-point listen}, with mkdir allowed only before the trigger. nginx creates its
 * temp directories before it listens (allowed); after listen it serves GETs (200), and a POST whose
 * body goes to a temp file (before it is proxied) in a directory level not yet made needs mkdir, which is denied: 500 and
 * nginx's {@code mkdir() ... failed (1: Operation not permitted)}. Once with a written profile
 * ({@code "attenuator": {"initOnly": [..]}}), once with a learned one (learned under GETs only; init-only as
 * learned). The POST is sent in one write, headers and body: a body that arrives in a read of its own makes
 * nginx call {@code ioctl(FIONREAD)}, which GETs never make it call, so the learned profile denies it
 * (kernel, EPERM) and nginx closes that connection without an answer; tested too.
 */
class ApplyPointNginxIT {

    private static final Path NGINX = Nginx.BIN;
    private static final String BODY = "x".repeat(100);

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
        Daemon nginx = Nginx.start(dir, TempHome.in(dir), port, "run", "--apply-point",
                "listen", "--profile", profile.toString(), "--", NGINX.toString(), "-c", conf.toString(), "-p",
                dir.toString());
        assertPostDeniedMkdirAfterListen(nginx, port, false);
    }

    @Test
    void learnedProfileDropsInitOnlySyscallsAfterListen() throws Exception {
        assertTrue(Files.isExecutable(NGINX), "nginx is not installed (apt-get install nginx-light)");
        Path home = TempHome.in(dir);
        int port = freePort();
        Path conf = config(port);
        HttpClient client = HttpClient.newHttpClient();
        // learn under GETs only: two runs
        for (int run = 0; run < 2; run++) {
            Daemon learning = Nginx.start(dir, home, port, "run", "--learn=ap-it", "--apply-point", "listen", "--",
                    NGINX.toString(), "-c", conf.toString(), "-p", dir.toString());
            try {
                for (int i = 0; i < 20; i++) {
                    assertEquals(200, Nginx.get(client, port, "/"), "learning run " + run);
                }
            } finally {
                String err = learning.stop();
                assertTrue(err.contains("attenuator: learned ap-it: "), err);
            }
        }
        String learned = Files.readString(home.resolve("learned/ap-it.json"));
        assertTrue(learned.matches("(?s).*\"initOnly\"[^]]*\"mkdir\".*"), learned);

        Files.writeString(dir.resolve("error.log"), "");
        Daemon enforced = Nginx.start(dir, home, port, "run", "--profile", "learned:ap-it", "--apply-point", "listen",
                "--", NGINX.toString(), "-c", conf.toString(), "-p", dir.toString());
        assertPostDeniedMkdirAfterListen(enforced, port, true);
    }

    /**
     * GETs 200, a POST (one write) 500 with the mkdir line, still serving. {@code learned}: before it, a POST
     * whose body comes later closes without an answer, with nginx's {@code ioctl(FIONREAD) failed (1: ..)}
     * (only FIONBIO was learned: nginx asks FIONREAD after a read that fills its buffer, which no GET did).
     */
    private void assertPostDeniedMkdirAfterListen(Daemon nginx, int port, boolean learned) throws Exception {
        HttpClient client = HttpClient.newHttpClient();
        int post;
        int bodyLater = 0;
        String err;
        try {
            assertTrue(Files.isDirectory(dir.resolve("body")), "nginx made its temp directory before listen");
            for (int i = 0; i < 20; i++) {
                assertEquals(200, Nginx.get(client, port, "/"));
            }
            if (learned) {
                bodyLater = Nginx.post(port, "/up", BODY, true);
                assertEquals(200, Nginx.get(client, port, "/"), "still serving after the FIONREAD denial");
            }
            post = Nginx.post(port, "/up", BODY, false);
            assertEquals(200, Nginx.get(client, port, "/"), "still serving");
        } finally {
            err = nginx.stop();
        }
        String errorLog = Files.readString(dir.resolve("error.log"));
        assertEquals(500, post, errorLog + err);
        assertTrue(errorLog.lines().anyMatch(l -> l.contains("mkdir()") && l.contains("(1: Operation not permitted)")),
                errorLog);
        if (learned) {
            assertEquals(-1, bodyLater, "closed without an answer: " + errorLog + err);
            assertTrue(errorLog.lines().anyMatch(l -> l.contains("ioctl(FIONREAD) failed (1: Operation not permitted)")),
                    errorLog);
        }
    }

    private Path config(int port) throws IOException {
        return Nginx.config(dir, port, 64, " 1;\n  client_body_in_file_only on", """
                location = /up { proxy_pass http://127.0.0.1:%1$d/ok; }
                location = /ok { return 200; }
                """.formatted(port));
    }
}
