package org.attenuator.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.attenuator.testsupport.TempHome;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A target under {@code bin/attenuator run}, as root (the case where it has the most to take),
 * against the processes that confine it: the fork server (its parent) and the supervisor JVM.
 * It must not be able to ptrace them, write their memory or take their fds, and it keeps Docker's
 * default capabilities only, so that what {@code explain} says about a capability-gated rule is
 * what {@code run} does. The same attack by a second local user's target against that user's
 * supervisor fails too.
 */
class TargetIsolationIT {

    /** Docker's default container capabilities as a CapEff mask (CHOWN .. SETFCAP). */
    private static final long DOCKER_DEFAULT = 0xa80425fbL;
    private static final long CAP_CHOWN = 1L, CAP_SYS_ADMIN = 1L << 21;
    private static final List<String> CAP_SETS = List.of("CapInh", "CapPrm", "CapEff", "CapBnd", "CapAmb");
    private static final Path DOCKER_PROFILE = Path.of("../../bundles/profile/src/main/resources/org/attenuator/profile/docker-default.json");
    private static final String WARNING = "attenuator: warning: --privileged: the target keeps every capability "
            + "of this process, and the profile's capability rules are evaluated with them";

    @TempDir
    Path dir;
    private Path home;
    private int outputs;

    record Result(int status, String out, String err) {
    }

    @BeforeEach
    void rootOnly() throws IOException {
        assumeTrue("root".equals(System.getProperty("user.name")), "the attack worked as root: run these as root");
        home = TempHome.in(dir);
    }

    @Test
    void targetCannotTakeOverTheForkServerOrTheSupervisor() throws Exception {
        assertEscapeRefused(List.of());
    }

    /** A non-root supervisor has no capability a target lacks: only its being non-dumpable protects it. */
    @Test
    void targetOfASecondUserCannotTakeOverItsSupervisor() throws Exception {
        Files.setPosixFilePermissions(dir, java.nio.file.attribute.PosixFilePermissions.fromString("rwxrwxrwx"));
        // the second user's own home, private and not under the world-writable test directory: its
        // keeper must hold the tree's listener before the target runs, and refuses a directory others can write
        home = Files.createTempDirectory(dir.getParent(), "home-1000-");
        Files.setAttribute(home, "unix:uid", 1000);
        Files.setAttribute(home, "unix:gid", 1000);
        try {
            assertEscapeRefused(List.of("setpriv", "--reuid=1000", "--regid=1000", "--clear-groups"));
        } finally {
            try (java.util.stream.Stream<Path> all = Files.walk(home)) {
                all.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /**
     * The attacker ({@code attenuator-testhelper --escape}) under a profile that denies mkdir and
     * allows everything else, run by {@code as} (empty: this test's user, root).
     */
    private void assertEscapeRefused(List<String> as) throws Exception {
        Path profile = Files.writeString(dir.resolve("no-mkdir.json"), "{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":"
                + "[{\"names\":[\"mkdir\",\"mkdirat\"],\"action\":\"SCMP_ACT_ERRNO\",\"errnoRet\":1}]}");
        Path victim = Files.createDirectories(dir.resolve("victim"));
        Files.setPosixFilePermissions(victim, java.nio.file.attribute.PosixFilePermissions.fromString("rwxrwxrwx"));
        // the supervisor is the fork server's parent: the target finds its pid as an attacker would
        Result r = attenuatorAs(as, "run", "--profile", profile.toString(), "--", "sh", "-c",
                "exec \"$0\" --escape \"$1\" $(awk '/^PPid:/{print $2}' /proc/$PPID/status)", helper().toString(),
                victim.toString());
        assertEquals(0, r.status(), r.err());
        List<String> attempts = r.out().lines().toList();
        Map<String, Integer> perKind = new LinkedHashMap<>();
        for (String line : attempts) {
            assertTrue(line.matches("\\S+ \\d+ -1 E[A-Z]+"), "an attempt that was not refused: " + line + "\n" + r.out());
            perKind.merge(line.substring(0, line.indexOf(' ')), 1, Integer::sum);
        }
        // both processes attacked (the fork server, then the supervisor JVM), every way
        for (String kind : List.of("ptrace-attach", "ptrace-seize", "proc-mem", "pidfd-getfd")) {
            assertEquals(2, perKind.getOrDefault(kind, 0), kind + " attempts in\n" + r.out());
        }
        assertTrue(attempts.contains("mount 0 -1 EPERM"), r.out());
        assertTrue(attempts.contains("mkdir 0 -1 EPERM"), r.out());
        assertFalse(Files.exists(victim.resolve("made")), "mkdir got through");
    }

    @Test
    void targetKeepsDockersDefaultCapabilitiesOrWhatTheOptionsSay() throws Exception {
        long own = ownCapabilities().get("CapPrm");
        assertCapabilities(DOCKER_DEFAULT & own, attenuator("run", "--", "grep", "^Cap", "/proc/self/status"));
        assertCapabilities((DOCKER_DEFAULT & ~CAP_CHOWN | CAP_SYS_ADMIN) & own,
                attenuator("run", "--cap-add", "sys_admin", "--cap-drop", "CAP_CHOWN", "--", "grep", "^Cap", "/proc/self/status"));
        assertCapabilities(CAP_SYS_ADMIN, attenuator("run", "--cap-drop", "ALL", "--cap-add", "SYS_ADMIN", "--",
                "grep", "^Cap", "/proc/self/status"));

        Result privileged = attenuator("run", "--privileged", "--", "grep", "^Cap", "/proc/self/status");
        assertEquals(0, privileged.status(), privileged.err());
        assertEquals(ownCapabilities(), capabilities(privileged.out()), "every capability of the caller, untouched");
        assertEquals(List.of(WARNING), privileged.err().lines().toList());
    }

    @Test
    void unknownCapabilityIsOneLineAndStatus2() throws Exception {
        for (String command : List.of("run", "explain")) {
            List<String> args = new ArrayList<>(List.of(command, "--cap-add", "SYS_WIZARD"));
            args.addAll(command.equals("run") ? List.of("--", "true") : List.of(DOCKER_PROFILE.toString(), "mount"));
            Result r = attenuator(args.toArray(String[]::new));
            assertEquals(2, r.status(), command + ": " + r.err());
            assertEquals(List.of("attenuator " + command + ": --cap-add: unknown capability 'SYS_WIZARD' (Docker's names, e.g. SYS_ADMIN "
                    + "or CAP_NET_ADMIN, or ALL)"), r.err().lines().toList(), command);
        }
    }

    @Test
    void explainAndRunAgreeOnMountUnderTheDefaultProfile() throws Exception {
        Path mountpoint = Files.createDirectories(dir.resolve("mnt"));
        String[] escape = {"--", helper().toString(), "--escape", mountpoint.toString()};

        assertTrue(attenuator("explain", DOCKER_PROFILE.toString(), "mount").out().startsWith("action: ERRNO"));
        Result denied = attenuator(concat(new String[] {"run"}, escape));
        assertTrue(denied.out().lines().toList().contains("mount 0 -1 EPERM"), denied.out());

        assertTrue(attenuator("explain", "--cap-add", "SYS_ADMIN", DOCKER_PROFILE.toString(), "mount").out()
                .startsWith("action: ALLOW"));
        Result allowed = attenuator(concat(new String[] {"run", "--cap-add", "SYS_ADMIN"}, escape));
        assertTrue(allowed.out().lines().toList().contains("mount 0 ok"), allowed.out());
    }

    private void assertCapabilities(long expected, Result r) {
        assertEquals(0, r.status(), r.err());
        Map<String, Long> sets = capabilities(r.out());
        for (String set : CAP_SETS) {
            assertEquals(expected, sets.get(set), () -> set + " in\n" + r.out());
        }
    }

    private static Map<String, Long> ownCapabilities() throws IOException {
        return capabilities(Files.readString(Path.of("/proc/self/status")));
    }

    private static Map<String, Long> capabilities(String status) {
        Map<String, Long> sets = new LinkedHashMap<>();
        Matcher m = Pattern.compile("^(Cap\\w+):\\s+([0-9a-f]+)$", Pattern.MULTILINE).matcher(status);
        while (m.find()) {
            sets.put(m.group(1), Long.parseUnsignedLong(m.group(2), 16));
        }
        assertEquals(CAP_SETS, List.copyOf(sets.keySet()), status);
        return sets;
    }

    private static Path helper() {
        return Distribution.bin().resolveSibling("attenuator-testhelper").toAbsolutePath();
    }

    private static String[] concat(String[] a, String[] b) {
        List<String> all = new ArrayList<>(List.of(a));
        all.addAll(List.of(b));
        return all.toArray(String[]::new);
    }

    private Result attenuator(String... args) throws Exception {
        return attenuatorAs(List.of(), args);
    }

    private Result attenuatorAs(List<String> as, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(as);
        cmd.add(Distribution.bin().toString());
        cmd.addAll(List.of(args));
        Path out = dir.resolve("out-" + outputs);
        Path err = dir.resolve("err-" + outputs++);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        pb.environment().put("ATTENUATOR_HOME", home.toString());
        pb.environment().put("HOME", dir.toString());
        Process p = pb.start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(cmd + " did not end: " + Files.readString(err));
        }
        return new Result(p.exitValue(), Files.readString(out), Files.readString(err));
    }
}
