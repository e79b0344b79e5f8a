package org.attenuator.shell.internal;

import java.nio.file.Path;
import org.attenuator.bpf.CompileException;
import org.attenuator.profile.ProfileSource;

/** File arguments: relative to the directory Karaf was started in, as a shell user expects. */
final class Paths {

    private Paths() {
    }

    static Path of(String argument) {
        return Path.of(argument).toAbsolutePath();
    }

    /** A profile argument: {@code builtin:NAME}, or a file as {@link #of} finds it. */
    static ProfileSource profile(String argument) throws CompileException {
        return argument.startsWith(ProfileSource.BUILTIN_PREFIX) ? ProfileSource.of(argument)
                : ProfileSource.file(of(argument));
    }
}
