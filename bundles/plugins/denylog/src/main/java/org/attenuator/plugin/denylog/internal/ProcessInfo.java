package org.attenuator.plugin.denylog.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What {@code /proc} says about a thread, read after the fact (best effort: the process may have
 * exited or exec'd since the syscall): its process id, executable and command line.
 */
record ProcessInfo(long pid, String executable, List<String> commandLine) {

    static final int MAX_CMDLINE = 4096;

    static ProcessInfo of(Path proc, long tid) {
        Path dir = proc.resolve(Long.toString(tid));
        long pid = -1;
        try {
            for (String line : Files.readAllLines(dir.resolve("status"), StandardCharsets.UTF_8)) {
                if (line.startsWith("Tgid:")) {
                    pid = Long.parseLong(line.substring(5).strip());
                    break;
                }
            }
        } catch (IOException | NumberFormatException e) {
            // gone
        }
        String exe = null;
        try {
            exe = Files.readSymbolicLink(dir.resolve("exe")).toString();
        } catch (IOException | UnsupportedOperationException e) {
            // gone, or not ours to read
        }
        List<String> cmdline = null;
        try (InputStream in = Files.newInputStream(dir.resolve("cmdline"))) {
            cmdline = split(in.readNBytes(MAX_CMDLINE));
        } catch (IOException e) {
            // gone
        }
        return new ProcessInfo(pid, exe, cmdline);
    }

    /** NUL-separated arguments; an empty list for a zombie or a kernel thread. */
    static List<String> split(byte[] bytes) {
        List<String> args = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == 0) {
                args.add(new String(bytes, start, i - start, StandardCharsets.UTF_8));
                start = i + 1;
            }
        }
        if (start < bytes.length) {
            args.add(new String(bytes, start, bytes.length - start, StandardCharsets.UTF_8));
        }
        return args;
    }
}
