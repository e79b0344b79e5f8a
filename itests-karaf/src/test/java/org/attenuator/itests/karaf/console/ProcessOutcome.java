package org.attenuator.itests.karaf.console;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** A program run to its end: its exit status and what it wrote (stdout and stderr together). */
record ProcessOutcome(int exitStatus, String output) {

    /** A JVM (bin/client) on a machine shared with other builds can take this long to start. */
    private static final long TIMEOUT_SECONDS = 120;

    static ProcessOutcome run(Path directory, Map<String, String> environment, String stdin, List<String> command)
            throws IOException, InterruptedException {
        // To a file, not a pipe: a program that hangs, or a child that keeps the pipe open (bin/start's
        // Karaf), cannot keep the test from reaching the timeout.
        Path outputFile = Files.createTempFile("process-outcome", ".txt");
        try {
            ProcessBuilder builder = new ProcessBuilder(command).directory(directory.toFile())
                    .redirectErrorStream(true).redirectOutput(outputFile.toFile());
            builder.environment().putAll(environment);
            Process process = builder.start();
            process.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
            process.getOutputStream().close();
            boolean ended = process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            if (!ended) {
                process.destroyForcibly();
            }
            String output = Files.readString(outputFile);
            if (!ended) {
                throw new AssertionError(command + " did not end within " + TIMEOUT_SECONDS + " s; it wrote: " + output);
            }
            return new ProcessOutcome(process.exitValue(), output);
        } finally {
            Files.delete(outputFile);
        }
    }

    @Override
    public String toString() {
        return "exit status " + exitStatus + ", output:\n" + output;
    }
}
