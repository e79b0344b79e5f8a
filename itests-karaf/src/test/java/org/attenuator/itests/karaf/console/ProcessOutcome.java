package org.attenuator.itests.karaf.console;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
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
        ProcessBuilder builder = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true);
        builder.environment().putAll(environment);
        Process process = builder.start();
        process.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
        process.getOutputStream().close();
        // The output is small (a few lines): reading it to its end before waiting cannot block the program.
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError(command + " did not end within " + TIMEOUT_SECONDS + " s; it wrote: " + output);
        }
        return new ProcessOutcome(process.exitValue(), output);
    }

    @Override
    public String toString() {
        return "exit status " + exitStatus + ", output:\n" + output;
    }
}
