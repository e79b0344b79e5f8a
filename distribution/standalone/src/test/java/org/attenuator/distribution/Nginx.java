package org.attenuator.distribution;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.attenuator.distribution.Distribution.Daemon;

/** Debian's nginx as the workload tests run it under {@code bin/attenuator}: its config, and GETs to it. */
final class Nginx {

    static final Path BIN = Path.of("/usr/sbin/nginx");

    private Nginx() {
    }

    /**
     * Writes {@code dir/nginx.conf}: one worker in the foreground, everything (pid, error.log, temp
     * directories, {@code www} with an index.html) under {@code dir}, one server on 127.0.0.1:port.
     *
     * @param bodyTemp the rest of {@code client_body_temp_path} and what goes with it (levels, options)
     * @param locations the server's location blocks
     */
    static Path config(Path dir, int port, int workerConnections, String bodyTemp, String locations) throws IOException {
        Path www = Files.createDirectories(dir.resolve("www"));
        Files.writeString(www.resolve("index.html"), "hello\n");
        return Files.writeString(dir.resolve("nginx.conf"), """
                daemon off;
                master_process off;
                worker_processes 1;
                pid %1$s/nginx.pid;
                error_log %1$s/error.log warn;
                events { worker_connections %3$d; }
                http {
                  access_log off;
                  client_body_temp_path %1$s/body%4$s;
                  proxy_temp_path %1$s/proxy;
                  fastcgi_temp_path %1$s/fcgi;
                  uwsgi_temp_path %1$s/uwsgi;
                  scgi_temp_path %1$s/scgi;
                  server {
                    listen 127.0.0.1:%2$d;
                    root %1$s/www;
                %5$s  }
                }
                """.formatted(dir, port, workerConnections, bodyTemp, locations.indent(4)));
    }

    /** {@code bin/attenuator ARGS}, ready once nginx answers GET / with 200. */
    static Daemon start(Path dir, Path home, int port, String... args) throws Exception {
        HttpClient client = HttpClient.newHttpClient();
        return Distribution.start(dir, home, () -> get(client, port, "/") == 200, args);
    }

    /** The status of a GET of {@code path}; -1: no answer. */
    static int get(HttpClient client, int port, String path) {
        try {
            return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                    .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /**
     * The status of a POST of {@code body} to {@code path} over a new connection; -1: the connection
     * closed without an answer. {@code bodyLater}: the body is sent 300 ms after the headers, so nginx
     * reads it in a read of its own that fills its buffer exactly, after which it asks the socket what is
     * left ({@code ioctl(FIONREAD)}); otherwise headers and body go in one write and nginx reads both at
     * once, with room to spare (no FIONREAD).
     */
    static int post(int port, String path, String body, boolean bodyLater) throws IOException, InterruptedException {
        byte[] head = ("POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nContent-Length: "
                + body.length() + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        byte[] content = body.getBytes(StandardCharsets.US_ASCII);
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            s.setSoTimeout(5000);
            OutputStream out = s.getOutputStream();
            if (bodyLater) {
                out.write(head);
                out.flush();
                Thread.sleep(300); // not a wait for a condition: the pause between headers and body is the client behaviour under test
                out.write(content);
            } else {
                byte[] all = new byte[head.length + content.length];
                System.arraycopy(head, 0, all, 0, head.length);
                System.arraycopy(content, 0, all, head.length, content.length);
                out.write(all);
            }
            out.flush();
            InputStream in = s.getInputStream();
            String status = new String(in.readNBytes(12), StandardCharsets.US_ASCII);
            return status.startsWith("HTTP/1.1 ") ? Integer.parseInt(status.substring(9, 12)) : -1;
        } catch (SocketException e) {
            return -1; // reset by nginx
        }
    }
}
