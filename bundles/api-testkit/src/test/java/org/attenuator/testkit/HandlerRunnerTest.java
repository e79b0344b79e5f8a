package org.attenuator.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.attenuator.api.Decision;
import org.attenuator.api.SyscallEvent;
import org.attenuator.api.SyscallHandler;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A handler under the real supervisor against /bin/mkdir: what it decides is what mkdir gets. */
class HandlerRunnerTest {

    private static final int EACCES = 13;
    private static final List<String> MKDIR = List.of("mkdir", "mkdirat");
    private static final Map<String, Object> ON_MKDIR =
            Map.of(SyscallHandler.SYSCALLS, new String[] {"mkdir", "mkdirat"});

    @TempDir
    Path dir;

    @Test
    void theHandlersDenialIsTheErrnoTheTargetGets() throws Exception {
        Path made = dir.resolve("made");
        try (HandlerRunner runner = HandlerRunner.start(dir)) {
            runner.register((event, context) -> Decision.deny(EACCES), ON_MKDIR);
            HandlerRunner.Outcome o = runner.run(MKDIR, "/bin/mkdir", made.toString());
            assertEquals(1, o.status(), o::toString);
            assertTrue(o.stderr().contains("Permission denied"), o::toString);
        }
        assertFalse(Files.exists(made));
    }

    @Test
    void theHandlerReadsThePathFromTheTargetsMemoryAndAllowsIt() throws Exception {
        Path made = dir.resolve("made");
        List<String> paths = new CopyOnWriteArrayList<>();
        try (HandlerRunner runner = HandlerRunner.start(dir)) {
            runner.register((event, context) -> {
                paths.add(event.reader().readString(event.arg(pathArgument(event)), 4096));
                return Decision.allow();
            }, ON_MKDIR);
            HandlerRunner.Outcome o = runner.run(MKDIR, "/bin/mkdir", made.toString());
            assertEquals(0, o.status(), o::toString);
        }
        assertEquals(List.of(made.toString()), paths);
        assertTrue(Files.isDirectory(made));
    }

    @Test
    void aNameThatIsNoSyscallIsRefusedBeforeAnythingRuns() throws Exception {
        try (HandlerRunner runner = HandlerRunner.start(dir)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> runner.run(List.of("mkdri"), "/bin/true"));
            assertEquals("no x86_64 syscall mkdri", e.getMessage());
        }
    }

    private static int pathArgument(SyscallEvent event) {
        return event.syscall().name().equals("mkdirat") ? 1 : 0;
    }
}
