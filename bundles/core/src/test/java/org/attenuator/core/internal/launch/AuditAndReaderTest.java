package org.attenuator.core.internal.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.attenuator.api.Decision;
import org.attenuator.api.SyscallEvent;
import org.attenuator.api.SyscallObserver;
import org.attenuator.bpf.Action;
import org.attenuator.bpf.Policy;
import org.attenuator.bpf.Rule;
import org.attenuator.core.Launch;
import org.attenuator.core.LaunchProfile;
import org.attenuator.core.LaunchedProcess;
import org.attenuator.core.internal.supervisor.SupervisorComponent;
import org.attenuator.core.internal.supervisor.SupervisorSettings;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Observers of a denied call read its path after the answer (best effort; here the caller holds until
 * they did), and audit mode allows what would be denied while reporting it.
 */
class AuditAndReaderTest {

    static SupervisorComponent supervisor;
    static final LinkedBlockingQueue<String> seen = new LinkedBlockingQueue<>();

    @TempDir
    Path dir;

    @BeforeAll
    static void setUp() throws Exception {
        supervisor = new SupervisorComponent(SupervisorSettings.DEFAULTS);
        supervisor.addObserver(new SyscallObserver() {
            @Override
            public void answered(SyscallEvent event, Decision decision, String decidedBy) {
                if (event.syscall().name().equals("mkdir")) {
                    seen.add("answered " + decision + " " + decidedBy + " " + path(event));
                }
            }

            @Override
            public void audited(SyscallEvent event, Decision wouldBe, String decidedBy) {
                seen.add("audited " + wouldBe + " " + decidedBy + " " + path(event));
            }
        });
    }

    private static String path(SyscallEvent event) {
        try {
            return event.reader().readString(event.arg(0), 4096);
        } catch (RuntimeException e) {
            return "unreadable:" + e.getClass().getSimpleName();
        }
    }

    @AfterAll
    static void tearDown() throws Exception {
        supervisor.close();
    }

    private static LaunchProfile mkdirNotified() {
        LaunchProfile docker = LaunchProfile.builtinDefault();
        List<Rule> rules = new ArrayList<>(docker.policy().rules());
        rules.removeIf(r -> r.syscall().equals("mkdir"));
        rules.add(new Rule("mkdir", Action.USER_NOTIF));
        return new LaunchProfile("mkdir-notified", java.util.Optional.empty(),
                new Policy(docker.policy().defaultAction(), docker.policy().arches(), rules), java.util.Set.of(),
                Decision.deny(13));
    }

    /** mkdir, then it holds until its stdin closes, so the caller's memory is there when the observer reads it. */
    private static Launch.Builder mkdirAndHold(Path target) {
        return Launch.command("/usr/bin/python3", "-c", "import os, sys\n"
                + "try:\n    os.mkdir(sys.argv[1])\nexcept OSError:\n    sys.stdin.read(); sys.exit(1)\nsys.stdin.read()",
                target.toString()).profile(mkdirNotified());
    }

    /** The target's exit status and the {@code reports} observer reports made while it held. */
    private record Outcome(int exit, List<String> reports) {
    }

    private Outcome run(Launch.Builder b, int reports) throws Exception {
        try (LauncherService launcher = new LauncherService(TargetProgram.attenuatorExec(), LauncherService.runBase(), supervisor);
                LaunchedProcess p = launcher.launch(b.stdio(Launch.Stdio.PIPE).build())) {
            List<String> got = new ArrayList<>();
            for (int i = 0; i < reports; i++) {
                String report = seen.poll(30, TimeUnit.SECONDS);
                assertNotNull(report, "observer reports so far: " + got);
                got.add(report);
            }
            p.process().getOutputStream().close(); // read: the target may end
            p.process().getInputStream().readAllBytes();
            assertTrue(p.waitFor(30, TimeUnit.SECONDS).isPresent());
            return new Outcome(p.waitFor(), got);
        }
    }

    @Test
    void aDeniedMkdirsPathIsReadableByObserversAfterTheAnswer() throws Exception {
        seen.clear();
        Path target = dir.resolve("denied");
        assertEquals(new Outcome(1, List.of("answered deny(13) undecided " + target)), run(mkdirAndHold(target), 1));
        assertFalse(Files.exists(target));
    }

    @Test
    void auditModeAllowsAndReportsWhatWouldBeDenied() throws Exception {
        seen.clear();
        Path target = dir.resolve("audited");
        assertEquals(new Outcome(0, List.of("answered allow undecided " + target, "audited deny(13) undecided " + target)),
                run(mkdirAndHold(target).property("denylog.audit", "true"), 2));
        assertTrue(Files.isDirectory(target));
    }
}
