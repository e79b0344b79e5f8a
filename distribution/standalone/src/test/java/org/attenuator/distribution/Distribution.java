package org.attenuator.distribution;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.attenuator.testsupport.Waits;

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
            assertTrue(process.waitFor(60, TimeUnit.SECONDS), "attenuator did not end");
            return Files.readString(stderr);
        }

        String stderrSoFar() {
            return read(stderr);
        }
    }

    /**
     * Starts {@code bin/attenuator ARGS} with {@code ATTENUATOR_HOME=home}, stderr in a file under
     * {@code dir}, and waits up to a minute until {@code ready} holds (the daemon answers: a JVM start
     * on a loaded machine alone can take 10 s and more).
     */
    static Daemon start(Path dir, Path home, BooleanSupplier ready, String... args) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(bin().toString());
        cmd.addAll(List.of(args));
        Path stderr = Files.createTempFile(dir, "stderr", ".txt");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(stderr.toFile()).redirectOutput(ProcessBuilder.Redirect.DISCARD);
        pb.environment().put("ATTENUATOR_HOME", home.toString());
        Process p = pb.start();
        try {
            Waits.until(() -> {
                assertTrue(p.isAlive(), () -> "ended early: " + read(stderr));
                return ready.getAsBoolean();
            }, Duration.ofSeconds(60), () -> cmd + " did not answer: " + read(stderr));
        } catch (AssertionError e) {
            p.destroyForcibly();
            throw e;
        }
        return new Daemon(p, stderr);
    }

    /** What a short command of the distribution printed, and its exit status. */
    record Result(int status, String out, String err) {
        @Override
        public String toString() {
            return "exit " + status + ", stdout: " + out + ", stderr: " + err;
        }
    }

    /** Runs {@code bin/attenuator ARGS} with {@code ATTENUATOR_HOME=home} to its end (at most two minutes). */
    static Result run(Path home, String... args) throws Exception {
        return run(home, Map.of(), args);
    }

    /** As {@link #run(Path, String...)}, with {@code env} added to the environment. */
    static Result run(Path home, Map<String, String> env, String... args) throws Exception {
        return run(bin(), home, env, args);
    }

    /** As {@link #run(Path, Map, String...)}, with the command line {@code bin} of another copy of the distribution. */
    static Result run(Path bin, Path home, Map<String, String> env, String... args) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(bin.toString());
        cmd.addAll(List.of(args));
        Path out = Files.createTempFile("attenuator-out", ".txt");
        Path err = Files.createTempFile("attenuator-err", ".txt");
        try {
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
            pb.environment().put("ATTENUATOR_HOME", home.toString());
            pb.environment().putAll(env);
            Process p = pb.start();
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError(cmd + " did not end within two minutes: " + read(err));
            }
            return new Result(p.exitValue(), Files.readString(out), Files.readString(err));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    /**
     * Kills every process whose command line names {@code dir}: what a test that kill -9s a supervisor
     * leaves behind when it fails half-way (targets under the keeper's fallback, the keeper of a home in
     * {@code dir}), so that they do not go on using the CPU under the tests after it.
     */
    static void killEverythingUnder(Path dir) {
        String name = dir.toString();
        ProcessHandle.allProcesses()
                .filter(p -> p.info().commandLine().filter(c -> c.contains(name)).isPresent())
                .forEach(ProcessHandle::destroyForcibly);
    }

    /** {@code out}, compiled from the C file {@code source} with gcc (warnings are errors). */
    static Path compile(Path source, Path out) throws IOException, InterruptedException {
        Process gcc = new ProcessBuilder("gcc", "-O2", "-Wall", "-Wextra", "-Werror", "-o", out.toString(), source.toString())
                .inheritIO().start();
        if (gcc.waitFor() != 0) {
            throw new AssertionError("gcc " + source.toAbsolutePath() + " failed");
        }
        return out;
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
