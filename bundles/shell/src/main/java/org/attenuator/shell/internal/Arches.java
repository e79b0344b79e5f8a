package org.attenuator.shell.internal;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import org.attenuator.bpf.Arch;

/** Architecture names as the commands take them, parsed by {@link Arch#parse}. */
final class Arches {

    private Arches() {
    }

    static Arch parse(String name) {
        return Arch.parse(name.strip()).orElseThrow(() -> new IllegalArgumentException(
                "unknown architecture " + name + " (known: " + names() + ")"));
    }

    static List<Arch> parseList(String commaSeparated) {
        return Arrays.stream(commaSeparated.split(",")).map(Arches::parse).collect(Collectors.toList());
    }

    static Arch host() {
        return Arch.host().orElseThrow(() -> new IllegalStateException(
                "this machine's architecture " + System.getProperty("os.arch") + " has no syscall table: give --arch"));
    }

    /** The short names (x86_64, x86, x32, aarch64); {@link Arch#parse} also takes libseccomp's and Go's. */
    static List<String> names() {
        return Arrays.stream(Arch.values()).map(a -> a.name().toLowerCase(Locale.ROOT)).collect(Collectors.toList());
    }
}
