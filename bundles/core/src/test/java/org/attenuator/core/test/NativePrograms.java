package org.attenuator.core.test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.attenuator.bpf.Arch;
import org.attenuator.bpf.SyscallTable;

/** The probe program tests run, compiled here (the native tarball's programs: {@code NativeDir}). */
public final class NativePrograms {

    private static Path probe;

    private NativePrograms() {
    }

    /** The probe (src/test/resources/.../probe.c), compiled with gcc into target/ once per run. */
    public static synchronized Path probe() throws IOException, InterruptedException {
        if (probe == null) {
            Path dir = Files.createDirectories(Path.of("target", "test-programs")).toAbsolutePath();
            Path source = dir.resolve("probe.c");
            try (InputStream in = NativePrograms.class.getResourceAsStream("probe.c")) {
                Files.copy(in, source, StandardCopyOption.REPLACE_EXISTING);
            }
            Path binary = dir.resolve("probe");
            Process gcc = new ProcessBuilder("gcc", "-O2", "-Wall", "-Werror", "-o", binary.toString(), source.toString())
                    .inheritIO().start();
            if (gcc.waitFor() != 0) {
                throw new IllegalStateException("gcc failed on " + source);
            }
            probe = binary;
        }
        return probe;
    }

    /** The x86_64 number of a syscall. */
    public static int nr(String syscall) {
        return SyscallTable.of(Arch.X86_64).number(syscall).orElseThrow();
    }
}
