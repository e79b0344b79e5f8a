package org.attenuator.distribution;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * The unpacked distribution's command line ({@code bin/attenuator}) as the workload tests run it: a
 * long-lived daemon under {@code run}, stderr collected, {@code ATTENUATOR_HOME} in a test directory.
 */
final class Distribution {

    private Distribution() {
    }

    /** {@code bin/attenuator} of the unpacked distribution (failsafe sets {@code attenuator.dist}). */
    static Path bin() {
        return Path.of(System.getProperty("attenuator.dist", "target/attenuator"), "bin", "attenuator");
    }

    /** A process of the distribution's command line, with stderr collected. */
    record Daemon(Process process, Path stderr) {

        /** SIGTERM (attenuator forwards it to the daemon, which exits) and wait; the stderr so far. */
        String stop() throws Exception {
            process.destroy();
            assertTrue(process.waitFor(30, TimeUnit.SECONDS), "attenuator did not end");
            return Files.readString(stderr);
        }

        String stderrSoFar() {
            return read(stderr);
        }
    }

    /**
     * Starts {@code bin/attenuator ARGS} with {@code ATTENUATOR_HOME=home}, stderr in a file under
     * {@code dir}, and waits up to 30 s until {@code ready} holds (the daemon answers).
     */
    static Daemon start(Path dir, Path home, BooleanSupplier ready, String... args) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(bin().toString());
        cmd.addAll(List.of(args));
        Path stderr = Files.createTempFile(dir, "stderr", ".txt");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(stderr.toFile()).redirectOutput(ProcessBuilder.Redirect.DISCARD);
        pb.environment().put("ATTENUATOR_HOME", home.toString());
        Process p = pb.start();
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < end) {
            assertTrue(p.isAlive(), () -> "ended early: " + read(stderr));
            if (ready.getAsBoolean()) {
                return new Daemon(p, stderr);
            }
            Thread.sleep(50);
        }
        p.destroyForcibly();
        throw new AssertionError(cmd + " did not answer: " + read(stderr));
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return e.toString();
        }
    }
}
