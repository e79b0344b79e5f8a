package org.attenuator.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The attacker's side of the files and directories the supervisor trusts, through the real command
 * line: a second local user ({@code cloudsdk}, uid 1000) plants a learned profile, a symbolic link
 * or a run directory, and root's or their own {@code attenuator} refuses it with one line and exit 2
 * (or, for the run directory, never looks there).
 */
class StrictModesIT {

    private static final int CLOUDSDK = 1000, NOBODY = 65534;
    private static final List<String> AS_CLOUDSDK = List.of("setpriv", "--reuid=" + CLOUDSDK, "--regid=" + CLOUDSDK, "--clear-groups");

    /** Under target/ (failsafe's java.io.tmpdir): /tmp itself is refused, being writable by everybody. */
    @TempDir
    Path dir;
    private Path home;
    private Path learned;

    record Result(int status, String stdout, String stderr) {
        List<String> errorLines() {
            return stderr.lines().toList();
        }
    }

    @BeforeEach
    void home() throws IOException {
        // cloudsdk may pass through to a directory someone leaves open to them
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        home = Files.createDirectory(dir.resolve("home"), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        learned = home.resolve("learned");
    }

    @Test
    void aLearnedProfilePlantedByAnotherUserIsRefused() throws Exception {
        assertEquals(0, attenuator("run", "--learn=web", "--", "/bin/true").status());
        Path allowAll = Files.writeString(dir.resolve("allow-all.json"), allowAll());
        // a careless chmod lets the other user write a profile that allows everything
        Files.setPosixFilePermissions(learned, PosixFilePermissions.fromString("rwxrwxrwx"));
        assertEquals(0, run(AS_CLOUDSDK, Map.of(), "/bin/cp", allowAll.toString(), learned.resolve("evil.json").toString()).status());

        Result open = attenuator("run", "--profile", "learned:evil", "--", "/bin/true");
        assertEquals(2, open.status(), open.stderr());
        assertEquals(List.of("attenuator run: refusing " + learned + ": writable by group or others (mode 0777)"), open.errorLines());

        // the directory is closed again, but the planted file is still cloudsdk's
        Files.setPosixFilePermissions(learned, PosixFilePermissions.fromString("rwx------"));
        Result planted = attenuator("run", "--profile", "learned:evil", "--", "/bin/true");
        assertEquals(2, planted.status(), planted.stderr());
        assertEquals(List.of("attenuator run: refusing " + learned.resolve("evil.json") + ": owned by uid 1000, not 0 or root"),
                planted.errorLines());

        assertEquals(0, attenuator("run", "--profile", "learned:web", "--", "/bin/true").status(), "our own profile still works");
    }

    @Test
    void symbolicLinksAtAProfileOrTheDenyLogAreRefusedAndTheirTargetsUntouched() throws Exception {
        Files.createDirectory(learned);
        Path victim = Files.writeString(dir.resolve("victim.json"), allowAll());
        Files.createSymbolicLink(learned.resolve("evil.json"), victim);
        Result profile = attenuator("run", "--profile", "learned:evil", "--", "/bin/true");
        assertEquals(2, profile.status(), profile.stderr());
        assertEquals(List.of("attenuator run: refusing " + learned.resolve("evil.json") + ": a symbolic link"), profile.errorLines());

        Path shadow = Files.writeString(dir.resolve("shadow"), "root:secret\n");
        Files.setPosixFilePermissions(shadow, PosixFilePermissions.fromString("rw-------"));
        Path log = Files.createDirectory(home.resolve("log"));
        Files.createSymbolicLink(log.resolve("denylog.jsonl"), shadow);
        Path notifyMkdir = Files.writeString(dir.resolve("notify-mkdir.json"),
                "{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"names\":[\"mkdir\",\"mkdirat\"],\"action\":\"SCMP_ACT_NOTIFY\"}]}");
        Result denyLog = attenuator("run", "--deny-log", "--profile", notifyMkdir.toString(), "--", "/bin/mkdir", dir.resolve("x").toString());
        assertEquals(2, denyLog.status(), denyLog.stderr());
        assertEquals(List.of("attenuator run: refusing " + log.resolve("denylog.jsonl") + ": a symbolic link"), denyLog.errorLines());
        assertEquals("root:secret\n", Files.readString(shadow));
        assertFalse(Files.exists(dir.resolve("x")), "the command did not run");
    }

    @Test
    void aRunDirectoryPlantedInTmpIsNeverUsedByANonRootRun() throws Exception {
        // a /tmp of its own (a mount namespace), so planting /tmp/attenuator-1000 disturbs nobody else;
        // the distribution is bound to /mnt first, and the run starts in /, as the checkout itself may lie under /tmp
        String script = "mount --bind \"$0\" /mnt && mount -t tmpfs -o mode=1777 tmpfs /tmp && mkdir -m 777 /tmp/attenuator-"
                + CLOUDSDK + " && chown " + NOBODY + " /tmp/attenuator-" + CLOUDSDK
                + " && cd / && " + String.join(" ", AS_CLOUDSDK) + " /mnt/bin/attenuator run --kernel-only -- /bin/echo hi; status=$?"
                + "; echo \"planted: $(ls -A /tmp/attenuator-" + CLOUDSDK + ")\"; exit $status";
        Result r = run(List.of("unshare", "--mount", "--propagation", "private"), Map.of("HOME", "/home/cloudsdk"),
                "/bin/sh", "-c", script, Distribution.bin().toAbsolutePath().getParent().getParent().toString());
        assertEquals(0, r.status(), r.stderr());
        assertEquals("hi\nplanted: \n", r.stdout(), "the planted directory stays empty");
        Path run = Path.of("/home/cloudsdk/.local/state/attenuator/run");
        assertEquals(CLOUDSDK, Files.getAttribute(run, "unix:uid", LinkOption.NOFOLLOW_LINKS));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(run, LinkOption.NOFOLLOW_LINKS)));
    }

    @Test
    void aHomeOthersCanWriteIsRefused() throws Exception {
        Files.setPosixFilePermissions(home, PosixFilePermissions.fromString("rwxrwxrwx"));
        Result list = attenuator("profile", "list");
        assertEquals(2, list.status(), list.stdout() + list.stderr());
        assertEquals(List.of("attenuator profile: refusing " + home + ": writable by group or others (mode 0777)"), list.errorLines());
    }

    /** A learned profile turned into one that allows everything (what an attacker would plant). */
    private String allowAll() throws Exception {
        Path sample = dir.resolve("sample-home");
        Result learn = run(List.of(), Map.of("ATTENUATOR_HOME", sample.toString()), Distribution.bin().toString(),
                "run", "--learn=sample", "--", "/bin/true");
        assertEquals(0, learn.status(), learn.stderr());
        String profile = Files.readString(sample.resolve("learned/sample.json"));
        assertTrue(profile.contains("\"defaultAction\" : \"SCMP_ACT_ERRNO\""), profile);
        return profile.replaceFirst("\"defaultAction\" : \"SCMP_ACT_ERRNO\",\\s*\"defaultErrnoRet\" : 1,", "\"defaultAction\" : \"SCMP_ACT_ALLOW\",");
    }

    /** {@code bin/attenuator ARGS} as root with ATTENUATOR_HOME set to the test's home. */
    private Result attenuator(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Distribution.bin().toString()));
        cmd.addAll(List.of(args));
        return run(List.of(), Map.of("ATTENUATOR_HOME", home.toString()), cmd.toArray(String[]::new));
    }

    /** Runs {@code prefix + command} with a clean environment (PATH and {@code env}); waits at most a minute. */
    private Result run(List<String> prefix, Map<String, String> env, String... command) throws Exception {
        List<String> cmd = new ArrayList<>(prefix);
        cmd.addAll(List.of(command));
        Path out = Files.createTempFile(dir, "out", ".txt");
        Path err = Files.createTempFile(dir, "err", ".txt");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile());
        pb.environment().clear();
        pb.environment().put("PATH", "/usr/local/bin:/usr/bin:/bin");
        pb.environment().putAll(env);
        Process p = pb.start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(cmd + " did not end: " + Files.readString(err));
        }
        return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
    }
}
