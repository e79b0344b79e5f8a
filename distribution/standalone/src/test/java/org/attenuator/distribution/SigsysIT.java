package org.attenuator.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.attenuator.distribution.Distribution.Result;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/** A program killed by its profile: {@code run} says which call killed it, and exits 128+SIGSYS. */
class SigsysIT {

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void runNamesTheCallThatKilledTheProgram(boolean kernelOnly) throws Exception {
        Path profile = Files.writeString(dir.resolve("kill-uname.json"), """
                {"defaultAction": "SCMP_ACT_ALLOW",
                 "syscalls": [{"names": ["uname"], "action": "SCMP_ACT_KILL_PROCESS"}]}
                """);
        Result run = kernelOnly
                ? Distribution.run(dir, "run", "--kernel-only", "--profile", profile.toString(), "--", "/bin/uname")
                : Distribution.run(dir, "run", "--profile", profile.toString(), "--", "/bin/uname");
        assertEquals(159, run.status(), run::toString);
        assertTrue(run.err().contains("/bin/uname (pid ") && run.err().contains(
                ") was killed by SIGSYS: system call uname on x86_64 (a kill rule of its profile)"), run::toString);
    }
}
