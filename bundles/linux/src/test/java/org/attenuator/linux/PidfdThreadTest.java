package org.attenuator.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/** pidfds for tasks that are threads, not thread-group leaders (what a notification names). */
class PidfdThreadTest {
    private static final int SELF = (int) ProcessHandle.current().pid();

    /** A thread of this JVM other than its leader. */
    private static int someThread() throws IOException {
        try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
            return tasks.map(p -> Integer.parseInt(p.getFileName().toString())).filter(t -> t != SELF)
                    .findFirst().orElseThrow();
        }
    }

    @Test
    void plainPidfdOpenOfAThreadFails() throws Exception {
        NativeException e = assertThrows(NativeException.class, () -> Pidfd.open(someThread()));
        // EINVAL on older kernels; ENOENT on 6.18 (observed here)
        assertTrue(e.errno() == Errno.EINVAL || e.errno() == Errno.ENOENT, e.getMessage());
    }

    @Test
    void openTaskOpensAThreadAndAProcess() throws Exception {
        int tid = someThread();
        assertEquals(SELF, Pidfd.threadGroupOf(tid));
        assertEquals(SELF, Pidfd.threadGroupOf(SELF));
        try (Pidfd thread = Pidfd.openTask(tid); Pidfd leader = Pidfd.openTask(SELF)) {
            thread.sendSignal(0); // signal 0: the permission and existence check only
            leader.sendSignal(0);
            assertEquals(SELF, leader.pid());
        }
    }

    @Test
    void openTaskOfAMissingTaskIsEsrch() {
        NativeException e = assertThrows(NativeException.class, () -> Pidfd.openTask(Integer.MAX_VALUE - 1));
        assertEquals(Errno.ESRCH, e.errno(), e.getMessage());
    }
}
