package org.attenuator.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.attenuator.distribution.Distribution.Result;
import org.attenuator.testsupport.TempHome;
import org.attenuator.testsupport.Waits;
import org.junit.jupiter.api.Test;

/**
 * {@code run --kernel-only} with a profile that denies execve: the launcher's own exec is notified
 * (the fork server must exec the target), and no JVM reads the listener after the launch, so
 * attenuator-keeper answers the target's execve calls with the profile's own action. Seen from the
 * target: a shell that runs a command after its start gets the profile's errno (EACCES: "Permission
 * denied"), never ENOSYS ("Function not implemented"), also after the run's JVM is gone.
 */
class KernelOnlyExecIT extends DistributionTest {

    private static final String DENY_EXEC_EACCES = "{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"names\":"
            + "[\"execve\"],\"action\":\"SCMP_ACT_ERRNO\",\"errnoRet\":13}]}";

    @Test
    void aShellThatExecsAfterItsStartGetsTheProfilesErrno() throws Exception {
        Path profile = Files.writeString(dir.resolve("deny-exec.json"), DENY_EXEC_EACCES);
        Path home = TempHome.in(dir);
        Result r = Distribution.run(home, "run", "--kernel-only", "--profile", profile.toString(), "--",
                "/bin/sh", "-c", "/bin/true; echo \"status $?\"");
        assertEquals(0, r.status(), r.toString());
        assertTrue(r.err().contains("Permission denied"), r.toString());
        assertFalse(r.err().contains("Function not implemented"), r.toString());
        assertTrue(r.out().contains("status 126"), "sh: a command it cannot execute is 126: " + r);
    }

    /**
     * The target outlives the run: its execve, long after the JVM exited, is answered by the keeper
     * alone (the keeper stays while the tree lives, then exits: --exit-when-idle).
     */
    @Test
    void anExecAfterTheRunsJvmExitedStillGetsTheProfilesErrno() throws Exception {
        Path profile = Files.writeString(dir.resolve("deny-exec.json"), DENY_EXEC_EACCES);
        Path home = TempHome.in(dir);
        Path go = dir.resolve("go");
        Path report = dir.resolve("report");
        // the shell leaves a child in the background and exits: run's JVM ends with it
        String script = "( while [ ! -e '" + go + "' ]; do sleep 0.05; done; /bin/true 2>'" + report + ".err';"
                + " echo \"status $?\" > '" + report + "' ) & exit 0";
        Result r = Distribution.run(home, "run", "--kernel-only", "--profile", profile.toString(), "--",
                "/bin/sh", "-c", script);
        assertEquals(0, r.status(), r.toString());
        Files.createFile(go); // now, with the run's JVM gone
        Waits.until(() -> Files.exists(report) && Distribution.read(report).endsWith("\n"),
                java.time.Duration.ofSeconds(30), () -> "the background child reported: " + r);
        assertEquals("status 126\n", Distribution.read(report));
        String err = Distribution.read(Path.of(report + ".err"));
        assertTrue(err.contains("Permission denied") && !err.contains("Function not implemented"), err);
    }

    /** No keeper can hold the listener (its directory is group-writable): the run refuses in one line, nothing runs. */
    @Test
    void withoutAKeeperTheRunRefusesInsteadOfLeavingEnosys() throws Exception {
        Path profile = Files.writeString(dir.resolve("deny-exec.json"), DENY_EXEC_EACCES);
        Path home = TempHome.in(dir);
        Path run = Files.createDirectories(home.resolve("run"));
        Files.setPosixFilePermissions(run, PosixFilePermissions.fromString("rwxrwx---"));
        Path ran = dir.resolve("ran");
        Result r = Distribution.run(home, "run", "--kernel-only", "--profile", profile.toString(), "--",
                "/bin/sh", "-c", "touch '" + ran + "'");
        assertTrue(r.status() != 0, r.toString());
        assertFalse(Files.exists(ran), "the target ran: " + r);
        assertTrue(r.err().contains("--kernel-only") && r.err().contains(run.toString()), r.toString());
        assertFalse(r.err().contains("\tat "), "no stack trace: " + r);
    }
}
