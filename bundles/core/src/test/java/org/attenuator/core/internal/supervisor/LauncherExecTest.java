package org.attenuator.core.internal.supervisor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.attenuator.api.Decision;
import org.attenuator.api.SupervisedTree;
import org.attenuator.api.SyscallEvent;
import org.attenuator.api.SyscallObserver;
import org.attenuator.core.spi.TreePolicy;
import org.attenuator.core.spi.TreeSpec;
import org.attenuator.core.test.NativePrograms;
import org.attenuator.linux.Fd;
import org.attenuator.linux.UnixSocket;
import org.attenuator.testsupport.NativeDir;
import org.attenuator.testsupport.Waits;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A listener adopted with the launcher-exec marker: the launcher's own execve passes although the
 * policy denies execve, and observers see it as the tree's first exec; later execs are decided.
 */
class LauncherExecTest {

    @TempDir
    Path dir;

    @Test
    void launcherExecPassesOnceThenExecIsDecided() throws Exception {
        List<String> seen = new CopyOnWriteArrayList<>();
        SyscallObserver observer = new SyscallObserver() {
            @Override
            public void answered(SyscallEvent event, Decision decision, String decidedBy) {
                seen.add(event.syscall().name() + " " + decision + " by " + decidedBy);
            }

            @Override
            public void executed(SupervisedTree tree, long pid, String executable) {
                seen.add("executed " + executable);
            }

            @Override
            public void treeEnded(SupervisedTree tree) {
                seen.add("ended");
            }
        };
        String socket = dir.resolve("hand-over.sock").toString();
        try (SupervisorComponent supervisor = new SupervisorComponent(SupervisorSettings.DEFAULTS);
                UnixSocket server = UnixSocket.listen(socket, 1)) {
            supervisor.addObserver(observer);
            Process target = new ProcessBuilder(NativeDir.testhelper().toString(), "--notify",
                    String.valueOf(NativePrograms.nr("execve")), "--socket", socket, "--", "/bin/sh", "-c",
                    "/bin/true; echo $?").redirectErrorStream(true).start();
            List<Fd> fds = new ArrayList<>();
            long pid;
            try (UnixSocket connection = server.accept()) {
                pid = pidOf(readAll(connection, fds));
            }
            assertEquals(1, fds.size());
            supervisor.adopt(fds.get(0), TreeSpec.launched(pid, Map.of(SupervisedTree.EXECUTABLE, "/bin/sh"),
                    TreePolicy.DEFAULT));
            String out = new String(target.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(0, target.waitFor());
            assertTrue(out.trim().endsWith("126"), out);
            Waits.until(() -> seen.contains("ended"), Duration.ofSeconds(10), () -> "tree end in " + seen);
            assertEquals(List.of("executed /bin/sh", "execve allow by launcher", "execve deny(1) by undecided", "ended"),
                    seen.stream().sorted((a, b) -> order(a) - order(b)).toList());
        }
    }

    /** Observers get answers and lifecycle in order; the exec report precedes its answer. */
    private static int order(String event) {
        return event.startsWith("executed") ? 0 : event.contains("launcher") ? 1 : event.equals("ended") ? 3 : 2;
    }

    private static String readAll(UnixSocket connection, List<Fd> fds) throws Exception {
        byte[] buf = new byte[65536];
        int len = 0;
        int n;
        while ((n = connection.receive(buf, len, buf.length - len, fds)) > 0) {
            len += n;
        }
        return new String(buf, 0, len, StandardCharsets.UTF_8);
    }

    private static long pidOf(String message) {
        Matcher m = Pattern.compile("\"pid\":(\\d+)").matcher(message);
        assertTrue(m.find(), message);
        return Long.parseLong(m.group(1));
    }
}
