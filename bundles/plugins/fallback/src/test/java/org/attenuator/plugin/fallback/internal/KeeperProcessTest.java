package org.attenuator.plugin.fallback.internal;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.attenuator.linux.ExitStatus;
import org.attenuator.linux.Fd;
import org.attenuator.testsupport.NativeDir;
import org.junit.jupiter.api.Test;

/** A real attenuator-keeper started the way the plugin starts it. */
class KeeperProcessTest {

    @Test
    void ownSessionAndReapedAtOnceWhenKilled() throws Exception {
        Path dir = Files.createTempDirectory(Files.createDirectories(Path.of("target", "fallback-runs")), "process-")
                .toAbsolutePath();
        Path socket = dir.resolve("keeper.sock");
        Path log = dir.resolve("keeper.log");
        int ownFds = KeeperChurnTest.fdCount(ProcessHandle.current().pid());
        KeeperProcess keeper;
        try (Fd out = Fd.open(log.toString(), Fd.O_WRONLY | Fd.O_APPEND | Fd.O_CREAT, 0600)) {
            keeper = KeeperProcess.start(NativeDir.keeper(),
                    socket, out, log);
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(socket));
        String[] stat = stat(keeper.pid());
        String[] ours = stat(ProcessHandle.current().pid());
        // a signal to the supervisor's process group (timeout, ^C) does not reach a keeper in its own
        assertEquals(List.of(String.valueOf(keeper.pid()), String.valueOf(keeper.pid())), List.of(stat[2], stat[3]),
                "the keeper leads its own process group and session");
        assertFalse(stat[2].equals(ours[2]), "not in the supervisor's process group");

        assertTrue(ProcessHandle.of(keeper.pid()).orElseThrow().destroyForcibly(), "kill -9 the keeper");
        await().atMost(Duration.ofSeconds(30)).until(() -> !keeper.running());
        ExitStatus status = keeper.exitStatus();
        assertEquals(9, status.signal(), "killed by SIGKILL: " + status);
        assertEquals(List.of(), KeeperChurnTest.zombieChildren(), "reaped at once: no zombie");
        await().atMost(Duration.ofSeconds(30)).until(() -> KeeperChurnTest.fdCount(ProcessHandle.current().pid()) <= ownFds);
    }

    /** /proc/PID/stat after the command: state, ppid, pgrp, session, ... */
    private static String[] stat(long pid) throws java.io.IOException {
        String s = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        return s.substring(s.lastIndexOf(')') + 2).split(" ");
    }
}
