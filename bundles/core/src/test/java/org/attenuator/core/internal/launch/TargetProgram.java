package org.attenuator.core.internal.launch;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.attenuator.testsupport.NativeDir;

/**
 * native/exec/tests/target.c built static into target/launch-test/ (first thing it does: print
 * the Seccomp: line of /proc/self/status), and where attenuator-exec is.
 */
final class TargetProgram {

    private static Path built;

    private TargetProgram() {
    }

    static synchronized Path path() throws IOException, InterruptedException {
        if (built == null) {
            Path source = Path.of("../../native/exec/tests/target.c").toAbsolutePath().normalize();
            Path out = Path.of("target/launch-test/target").toAbsolutePath();
            Files.createDirectories(out.getParent());
            // build aside and rename: another build of this module may be compiling it at the same time
            Path tmp = Files.createTempFile(out.getParent(), "target-", ".tmp");
            Process gcc = new ProcessBuilder("gcc", "-static", "-O1", "-o", tmp.toString(), source.toString())
                    .redirectErrorStream(true).start();
            String log = new String(gcc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!gcc.waitFor(60, TimeUnit.SECONDS) || gcc.exitValue() != 0) {
                throw new IOException("gcc -static " + source + " failed: " + log);
            }
            Files.move(tmp, out, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            built = out;
        }
        return built;
    }

    static Optional<Path> attenuatorExec() {
        return Optional.of(NativeDir.program(LauncherService.EXEC));
    }
}
