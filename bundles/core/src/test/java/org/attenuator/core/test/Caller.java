package org.attenuator.core.test;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

/**
 * A live target that makes one notified call of {@code nr} per line we send and tells how it
 * returned: {@code v=VALUE} or {@code e=ERRNO}. Closing it ends the target (EOF on its stdin).
 */
public final class Caller implements AutoCloseable {

    private final String prefix;
    private final OutputStream in;
    private final BufferedReader out;
    private final Process process;

    /** Under a filter that notifies {@code notified}, handed to {@code harness}'s agent socket. */
    public Caller(Harness harness, int nr, List<String> notified) throws Exception {
        process = harness.target("", notified, Harness.probe("stdin", nr));
        prefix = nr + " ";
        in = process.getOutputStream();
        out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    }

    /** One call; its outcome. */
    public String call() throws Exception {
        in.write('\n');
        in.flush();
        String line = out.readLine();
        if (line == null || !line.startsWith(prefix)) {
            throw new AssertionError("the target answered " + line);
        }
        return line.substring(prefix.length());
    }

    @Override
    public void close() throws Exception {
        in.close();
        Harness.output(process, Duration.ofSeconds(10));
    }
}
