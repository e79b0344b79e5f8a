package org.attenuator.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;
import org.attenuator.distribution.Distribution.Daemon;
import org.attenuator.distribution.Distribution.Result;
import org.attenuator.testsupport.Waits;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * attenuator-client (docs/launch.md, "The native client"): a run whose program a JVM run compiled
 * before runs without a JVM, and still gets its profile's answers. The target tells which process
 * started it: {@code /proc/PPID/comm} is {@code attenuator-clie} (the client, comm is cut at 15
 * characters) or {@code attenuator-exec} (the JVM's fork server).
 */
class NativeClientIT extends DistributionTest {

    private static final String CLIENT = "attenuator-clie", JVM = "attenuator-exec";
    /** mkdir and mkdirat denied with EACCES: the profile's own errno is what the target must see. */
    private static final String NO_MKDIR = """
            {"defaultAction": "SCMP_ACT_ALLOW",
             "syscalls": [{"names": ["mkdir", "mkdirat"], "action": "SCMP_ACT_ERRNO", "errnoRet": 13}]}
            """;

    private Path home;
    private Path profile;

    @BeforeEach
    void files() throws Exception {
        home = Files.createDirectories(dir.resolve("home"));
        profile = Files.writeString(dir.resolve("no-mkdir.json"), NO_MKDIR);
    }

    /** `sh -c` that prints its parent's comm and tries mkdir; the run's arguments end with it. */
    private Result mkdirUnder(String... runOptions) throws Exception {
        Path target = dir.resolve("made-" + System.nanoTime());
        List<String> args = Stream.concat(Stream.concat(Stream.of("run"), Stream.of(runOptions)),
                Stream.of("--", "sh", "-c", "cat /proc/$PPID/comm; mkdir " + target)).toList();
        Result r = Distribution.run(home, args.toArray(String[]::new));
        assertTrue(Files.notExists(target), "mkdir went through: " + r);
        return r;
    }

    private static void deniedByTheProfile(Result r, String startedBy) {
        assertEquals(1, r.status(), r::toString);
        assertTrue(r.out().startsWith(startedBy + "\n"), "started by " + startedBy + ": " + r);
        assertTrue(r.err().contains("Permission denied"), "the profile's errnoRet 13 (EACCES): " + r);
    }

    @Test
    void aRunThroughARunningAgentTakesTheClientAndTheAgentSupervisesIt() throws Exception {
        Path socket = Files.createDirectories(home.resolve("run")).resolve("agent.sock");
        Daemon agent = Distribution.start(dir, home, () -> Files.exists(socket), "agent", "--socket", socket.toString());
        started.add(agent.process());
        // nothing cached yet: the JVM's run --agent, which caches the program
        deniedByTheProfile(mkdirUnder("--agent", socket.toString(), "--profile", profile.toString()), JVM);
        deniedByTheProfile(mkdirUnder("--profile", profile.toString()), CLIENT); // the home's agent
        deniedByTheProfile(mkdirUnder("--agent", socket.toString(), "--profile", profile.toString()), CLIENT);
        Waits.until(() -> agent.stderrSoFar().contains("policy no-mkdir"), java.time.Duration.ofSeconds(30),
                () -> "the agent adopted the client's tree: " + agent.stderrSoFar());
    }

    /**
     * Root with no agent in its home and the Debian package's agent socket present: the client hands
     * the tree to that agent. The real path: made here only when absent, removed again.
     */
    @Test
    void aRootRunWithoutAnAgentInItsHomeTakesThePackagedAgent() throws Exception {
        Assumptions.assumeTrue("root".equals(System.getProperty("user.name")), "the packaged agent serves root only");
        Path packaged = Path.of("/run/attenuator-agent");
        try {
            Files.createDirectory(packaged, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } catch (FileAlreadyExistsException e) {
            Assumptions.abort("an installed agent's " + packaged + " is there");
        }
        try {
            Path socket = packaged.resolve("agent.sock");
            Path agentHome = Files.createDirectories(dir.resolve("agent-home"));
            Daemon agent = Distribution.start(dir, agentHome, () -> Files.exists(socket), "agent", "--socket", socket.toString());
            started.add(agent.process());
            deniedByTheProfile(mkdirUnder("--profile", profile.toString()), JVM); // nothing cached yet
            deniedByTheProfile(mkdirUnder("--profile", profile.toString()), CLIENT);
            Waits.until(() -> agent.stderrSoFar().contains("policy no-mkdir"), java.time.Duration.ofSeconds(10),
                    () -> "the packaged agent adopted the client's tree: " + agent.stderrSoFar());
            agent.process().destroyForcibly();
        } finally {
            Distribution.killEverythingUnder(dir);
            try (Stream<Path> left = Files.list(packaged)) {
                for (Path p : left.toList()) {
                    Files.delete(p);
                }
            }
            Files.delete(packaged);
        }
    }

    @Test
    void kernelOnlyFromTheCacheNeedsNoJvm() throws Exception {
        deniedByTheProfile(mkdirUnder("--kernel-only", "--profile", profile.toString()), JVM);
        deniedByTheProfile(mkdirUnder("--kernel-only", "--profile", profile.toString()), CLIENT);
        Result status = Distribution.run(home, "run", "--kernel-only", "--profile", profile.toString(), "--", "sh", "-c",
                "kill -TERM $$");
        assertEquals(143, status.status(), "128 + SIGTERM, as the JVM's run returns it: " + status);
    }

    /** The line a kill rule's SIGSYS prints names the call, the same from the client as from the JVM. */
    @Test
    void aKillRuleIsNamedByTheClientAsByTheJvm() throws Exception {
        Path killUname = Files.writeString(dir.resolve("kill-uname.json"), """
                {"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["uname"], "action": "SCMP_ACT_KILL_PROCESS"}]}
                """);
        String[] run = {"run", "--kernel-only", "--profile", killUname.toString(), "--", "sh", "-c",
            "cat /proc/$PPID/comm; exec uname"};
        Result byJvm = Distribution.run(home, run);
        Result byClient = Distribution.run(home, run);
        assertEquals(List.of(159, 159), List.of(byJvm.status(), byClient.status()), () -> byJvm + "\n" + byClient);
        assertEquals(List.of(JVM, CLIENT), List.of(byJvm.out().strip(), byClient.out().strip()), "the second from the cache");
        String line = "attenuator: sh (pid N) was killed by SIGSYS: system call uname on x86_64 (a kill rule of its profile)";
        assertEquals(List.of(line, line),
                Stream.of(byJvm, byClient).map(r -> r.err().strip().replaceAll("pid \\d+", "pid N")).toList());
    }

    @Test
    void anOptionTheClientDoesNotKnowGoesToTheJvmAndHoldsThere() throws Exception {
        deniedByTheProfile(mkdirUnder("--kernel-only", "--profile", profile.toString()), JVM);
        deniedByTheProfile(mkdirUnder("--kernel-only", "--cap-add", "SYS_ADMIN", "--profile", profile.toString()), JVM);
        Result refused = Distribution.run(home, "run", "--kernel-only", "--fallback", "allow", "--profile",
                profile.toString(), "--", "true");
        assertEquals(2, refused.status(), "the JVM's own refusal of --fallback with --kernel-only: " + refused);
    }

    /**
     * Another user's entry under the key of this profile, holding a program that allows everything
     * (the entry of an allow-all profile): ignored, the JVM compiles the real one.
     */
    @Test
    void anEntryPlantedByAnotherUserIsIgnored() throws Exception {
        Path allowAll = Files.writeString(dir.resolve("allow-all.json"), "{\"defaultAction\": \"SCMP_ACT_ALLOW\"}");
        assertEquals(0, Distribution.run(home, "run", "--kernel-only", "--profile", allowAll.toString(), "--", "true").status());
        deniedByTheProfile(mkdirUnder("--kernel-only", "--profile", profile.toString()), JVM);
        Path real;
        Path permissive;
        try (Stream<Path> entries = Files.list(home.resolve("programs"))) {
            List<Path> byAge = entries.sorted(java.util.Comparator.comparing(NativeClientIT::modified)).toList();
            assertEquals(2, byAge.size(), "one entry per profile: " + byAge);
            permissive = byAge.get(0);
            real = byAge.get(1);
        }
        Files.move(permissive, real, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Files.setOwner(real, real.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("cloudsdk"));
        deniedByTheProfile(mkdirUnder("--kernel-only", "--profile", profile.toString()), JVM);
    }

    private static java.nio.file.attribute.FileTime modified(Path p) {
        try {
            return Files.getLastModifiedTime(p);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
