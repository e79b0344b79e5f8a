package org.attenuator.itests.karaf.console;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Our Karaf distribution as an administrator gets it: the tar.gz unpacked with tar, started with
 * bin/start, used with bin/client, stopped with bin/stop. Only what would collide with another
 * Karaf on this machine is moved (the SSH port, the agent socket, Attenuator's home); everything
 * else is as shipped.
 */
final class UnpackedKaraf {

    /** A fresh Karaf on a machine busy with other builds takes a minute or more to open its console. */
    private static final Duration BOOT_TIMEOUT = Duration.ofMinutes(4);

    private final Path home;
    private final int sshPort;
    private final Map<String, String> environment;

    private UnpackedKaraf(Path home, int sshPort, Map<String, String> environment) {
        this.home = home;
        this.sshPort = sshPort;
        this.environment = environment;
    }

    /** Unpacks {@code tarGz} into a new {@code directory} and moves what collides onto a free port and paths below it. */
    static UnpackedKaraf unpack(Path tarGz, Path directory) throws IOException, InterruptedException {
        deleteRecursively(directory);
        Files.createDirectories(directory);
        ProcessOutcome tar = ProcessOutcome.run(directory, Map.of(), "", List.of("tar", "xzf", tarGz.toString()));
        if (tar.exitStatus() != 0) {
            throw new IOException("tar xzf " + tarGz + ": " + tar);
        }
        Path home;
        try (Stream<Path> unpacked = Files.list(directory)) {
            home = unpacked.filter(Files::isDirectory).findFirst().orElseThrow(() -> new IOException("nothing unpacked from " + tarGz));
        }
        int port = freeLoopbackPort();
        setProperty(home.resolve("etc/org.apache.karaf.shell.cfg"), "sshPort", String.valueOf(port));
        setProperty(home.resolve("etc/org.attenuator.core.intake.cfg"), "socket", directory.resolve("agent.sock").toString());
        return new UnpackedKaraf(home, port, Map.of(
                "JAVA_HOME", System.getProperty("java.home"),
                // the keeper's socket and the learned profiles
                "ATTENUATOR_HOME", directory.resolve("attenuator-home").toString()));
    }

    Path home() {
        return home;
    }

    Path etc(String name) {
        return home.resolve("etc").resolve(name);
    }

    int sshPort() {
        return sshPort;
    }

    /** bin/start, as the docs say; returns what it printed once the console's SSH port answers on 127.0.0.1. */
    ProcessOutcome start() throws IOException, InterruptedException {
        ProcessOutcome start = bin("start", "");
        if (start.exitStatus() != 0) {
            throw new IOException("bin/start: " + start);
        }
        await().atMost(BOOT_TIMEOUT).pollInterval(Duration.ofMillis(500))
                .until(() -> connects(InetAddress.getLoopbackAddress(), sshPort));
        return start;
    }

    /** bin/client with {@code arguments}, its standard input {@code stdin}. */
    ProcessOutcome client(String stdin, String... arguments) throws IOException, InterruptedException {
        return bin("client", stdin, arguments);
    }

    /** bin/stop, then waits until the Karaf process has ended. */
    void stop() throws IOException, InterruptedException {
        Path pidFile = home.resolve("karaf.pid");
        if (!Files.exists(pidFile)) {
            return;
        }
        long pid = Long.parseLong(Files.readString(pidFile).strip());
        bin("stop", "");
        ProcessHandle.of(pid).ifPresent(karaf -> {
            try {
                karaf.onExit().get(BOOT_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            } catch (Exception stillRunning) {
                karaf.destroyForcibly();
            }
        });
    }

    /** Whether a TCP connection to {@code address}:{@code port} is accepted. */
    static boolean connects(InetAddress address, int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(address, port), 5_000);
            return true;
        } catch (IOException refused) {
            return false;
        }
    }

    private ProcessOutcome bin(String script, String stdin, String... arguments) throws IOException, InterruptedException {
        List<String> command = Stream.concat(Stream.of(home.resolve("bin").resolve(script).toString()), Stream.of(arguments)).toList();
        return ProcessOutcome.run(home, environment, stdin, command);
    }

    private static int freeLoopbackPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    /** Sets {@code key = value} in a Karaf .cfg file that has the key on a line of its own. */
    private static void setProperty(Path file, String key, String value) throws IOException {
        String content = Files.readString(file);
        Matcher line = Pattern.compile("(?m)^" + Pattern.quote(key) + "\\s*=.*$").matcher(content);
        if (!line.find()) {
            throw new IOException(file + " has no " + key);
        }
        Files.writeString(file, line.replaceFirst(Matcher.quoteReplacement(key + " = " + value)));
    }

    private static void deleteRecursively(Path directory) throws IOException {
        if (!Files.exists(directory)) {
            return;
        }
        try (Stream<Path> all = Files.walk(directory)) {
            all.sorted(Comparator.reverseOrder()).forEach(path -> {
                try {
                    Files.delete(path);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }
}
