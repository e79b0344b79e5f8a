package org.attenuator.core;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.attenuator.core.LaunchException.Reason;

/**
 * The file the kernel will exec for a command name, found as execvp(3) does, with the shell's
 * answers for what cannot run: {@link Reason#NOT_FOUND} (127) and {@link Reason#CANNOT_EXECUTE}
 * (126), decided before anything is spawned.
 *
 * @since 0.5.0
 */
public final class Executables {

    /** The search path when PATH is not set, as execvp's confstr(_CS_PATH) gives it. */
    public static final String DEFAULT_PATH = "/usr/local/bin:/usr/bin:/bin";

    private Executables() {
    }

    /**
     * @param name the command's first word: a path when it holds a slash, else a name looked up in {@code path}
     * @param directory where relative paths start (the target's working directory)
     * @param path the target's PATH; empty for {@link #DEFAULT_PATH}
     */
    public static Path find(String name, Path directory, Optional<String> path) throws LaunchException {
        if (name.contains("/")) {
            Path p = directory.resolve(name);
            if (!Files.exists(p)) {
                throw new LaunchException(Reason.NOT_FOUND, name + ": no such file or directory");
            }
            return checkExecutable(name, p);
        }
        Path denied = null;
        for (String dir : path.orElse(DEFAULT_PATH).split(":", -1)) {
            Path p = directory.resolve(dir.isEmpty() ? "." : dir).resolve(name);
            if (Files.isRegularFile(p)) {
                if (Files.isExecutable(p)) {
                    return checkExecutable(name, p);
                }
                denied = denied == null ? p : denied;
            }
        }
        if (denied != null) {
            throw new LaunchException(Reason.CANNOT_EXECUTE, name + ": permission denied (" + denied + ")");
        }
        throw new LaunchException(Reason.NOT_FOUND, name + ": command not found");
    }

    private static Path checkExecutable(String name, Path p) throws LaunchException {
        if (Files.isDirectory(p)) {
            throw new LaunchException(Reason.CANNOT_EXECUTE, name + ": is a directory");
        }
        if (!Files.isExecutable(p)) {
            throw new LaunchException(Reason.CANNOT_EXECUTE, name + ": permission denied");
        }
        byte[] head = new byte[4];
        int n;
        try (InputStream in = Files.newInputStream(p)) {
            n = in.readNBytes(head, 0, 4);
        } catch (IOException e) {
            return p; // execute-only or unreadable: the kernel decides
        }
        boolean elf = n == 4 && head[0] == 0x7f && head[1] == 'E' && head[2] == 'L' && head[3] == 'F';
        boolean script = n >= 2 && head[0] == '#' && head[1] == '!';
        if (!elf && !script) {
            // attenuator-exec does not retry with /bin/sh as execvp would (ENOEXEC, 126)
            throw new LaunchException(Reason.CANNOT_EXECUTE, name + ": exec format error (neither ELF nor #!)");
        }
        return p;
    }
}
