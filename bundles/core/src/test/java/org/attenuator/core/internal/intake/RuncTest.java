package org.attenuator.core.internal.intake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.attenuator.api.Decision;
import org.attenuator.api.SupervisedTree;
import org.attenuator.api.SyscallHandler;
import org.attenuator.core.spi.TreePolicy;
import org.attenuator.core.test.Harness;
import org.attenuator.testsupport.Waits;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real container: Debian's runc runs a busybox-static rootfs made here, whose config points
 * {@code linux.seccomp.listenerPath} at the supervisor's agent socket. The handler chain decides
 * the container's notified syscalls, and the tree carries the container's id, metadata and
 * annotations. Needs root, {@code runc} and {@code busybox-static} (installed by .ci/run).
 */
class RuncTest {

    private static final Path RUNC = Path.of("/usr/sbin/runc");
    private static final Path BUSYBOX = Path.of("/bin/busybox");
    private static final int EACCES = 13;
    private static final Duration RUN = Duration.ofSeconds(15);
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;
    Harness harness;
    Path bundle;
    Path runcRoot;
    final String containerId = "attenuator-it-" + ProcessHandle.current().pid() + "-" + System.nanoTime();

    @BeforeEach
    void start() throws Exception {
        assertTrue(Files.isExecutable(RUNC), "runc is not installed (apt-get install runc; .ci/run does)");
        assertTrue(Files.isExecutable(BUSYBOX), "busybox-static is not installed (apt-get install busybox-static; .ci/run does)");
        assertTrue("root".equals(System.getProperty("user.name")), "runc containers need root: run the tests as root");
        harness = new Harness(dir);
        bundle = Files.createDirectories(dir.resolve("bundle"));
        runcRoot = Files.createDirectories(dir.resolve("runc-root"));
    }

    @AfterEach
    void stop() throws Exception {
        try {
            if (runcRoot != null) {
                // also when the test failed half-way: never leave a container behind
                exec(List.of(RUNC.toString(), "--root", runcRoot.toString(), "delete", "--force", containerId),
                        Duration.ofSeconds(10));
            }
        } finally {
            if (harness != null) {
                harness.close();
            }
        }
    }

    @Test
    void containerSyscallsAreDecidedByTheChainAndTheTreeKnowsTheContainer() throws Exception {
        AtomicReference<Map<String, Object>> seen = new AtomicReference<>();
        harness.addHandler((e, c) -> {
            seen.set(e.tree().properties());
            return Decision.respond(4242);
        }, 10, Map.of(SyscallHandler.TARGET, "(&(meta.team=blue)(annotation.org.example.owner=blue-team))",
                SyscallHandler.SYSCALLS, "getppid"));
        harness.addHandler((e, c) -> Decision.deny(EACCES), 10,
                Map.of(SyscallHandler.TARGET, "(meta.team=blue)", SyscallHandler.SYSCALLS, new String[] {"mkdir", "mkdirat"}));
        TreePolicy web = TreePolicy.builder().name("web").decide("getuid", Decision.respond(77))
                .decide("geteuid", Decision.respond(77)).build();
        harness.intakes.setPolicySource(p -> p.equals("web") ? Optional.of(web) : Optional.empty());

        makeRootfs(bundle.resolve("rootfs"));
        writeConfig("echo ppid=$PPID; mkdir /made; echo mkdir=$?; echo uid=$(id -u)",
                List.of("getppid", "mkdir", "mkdirat", "getuid", "geteuid"));

        Result run = exec(List.of(RUNC.toString(), "--root", runcRoot.toString(), "run", "--bundle", bundle.toString(),
                containerId), RUN);

        assertEquals(0, run.status, "runc run: " + run);
        assertTrue(run.stdout.contains("ppid=4242"), "getppid answered by the handler: " + run);
        assertTrue(run.stdout.contains("mkdir=1"), "mkdir denied by the handler: " + run);
        assertTrue(run.stderr.contains("Permission denied"), "EACCES seen by busybox: " + run);
        assertTrue(run.stdout.contains("uid=77"), "get[e]uid answered by the profile's policy: " + run);
        assertFalse(Files.exists(bundle.resolve("rootfs/made")), "the denied mkdir did not happen");

        Map<String, Object> props = seen.get();
        assertEquals(containerId, props.get(SupervisedTree.CONTAINER_ID));
        assertEquals("blue", props.get("meta.team"));
        assertEquals("web", props.get("meta.profile"));
        assertEquals("web", props.get(SupervisedTree.PROFILE));
        assertEquals("blue-team", props.get("annotation.org.example.owner"));
        assertEquals("oci", props.get(SupervisedTree.SOURCE));
        assertEquals(bundle.toString(), props.get("oci.bundle"));

        harness.awaitNoTrees();
        // counted once adopt() returned, which may be after the tree's end
        Waits.until(() -> harness.intake.accepted() == 1, Duration.ofSeconds(20), () -> "accepted " + harness.intake.accepted());
        harness.awaitTreesEnded(1);
    }

    /** busybox-static as /bin/busybox and the applets the script uses as symlinks. */
    private static void makeRootfs(Path rootfs) throws IOException {
        Path bin = Files.createDirectories(rootfs.resolve("bin"));
        Files.copy(BUSYBOX, bin.resolve("busybox"));
        for (String applet : List.of("sh", "echo", "mkdir", "id", "cat", "ls")) {
            Files.createSymbolicLink(bin.resolve(applet), Path.of("busybox"));
        }
        for (String d : List.of("proc", "dev", "sys", "tmp", "etc")) {
            Files.createDirectories(rootfs.resolve(d));
        }
    }

    /** {@code runc spec}'s config, without a terminal, a writable root, and the seccomp section. */
    private void writeConfig(String script, List<String> notified) throws Exception {
        Result spec = exec(List.of(RUNC.toString(), "spec", "--bundle", bundle.toString()), Duration.ofSeconds(10));
        assertEquals(0, spec.status, "runc spec: " + spec);
        Path configFile = bundle.resolve("config.json");
        ObjectNode config = (ObjectNode) JSON.readTree(configFile.toFile());
        ObjectNode process = (ObjectNode) config.get("process");
        process.put("terminal", false);
        process.putArray("args").add("/bin/sh").add("-c").add(script);
        ((ObjectNode) config.get("root")).put("readonly", false);
        config.putObject("annotations").put("org.example.owner", "blue-team");

        ObjectNode seccomp = ((ObjectNode) config.get("linux")).putObject("seccomp");
        seccomp.put("defaultAction", "SCMP_ACT_ALLOW");
        seccomp.putArray("architectures").add("SCMP_ARCH_X86_64").add("SCMP_ARCH_X86").add("SCMP_ARCH_X32");
        seccomp.put("listenerPath", harness.intake.socket().toAbsolutePath().toString());
        seccomp.put("listenerMetadata", "profile=web\nteam=blue");
        ArrayNode rules = seccomp.putArray("syscalls");
        ObjectNode rule = rules.addObject();
        notified.forEach(rule.putArray("names")::add);
        rule.put("action", "SCMP_ACT_NOTIFY");
        JSON.writerWithDefaultPrettyPrinter().writeValue(configFile.toFile(), config);
    }

    private record Result(int status, String stdout, String stderr) {
        @Override
        public String toString() {
            return "status " + status + ", stdout [" + stdout.strip() + "], stderr [" + stderr.strip() + "]";
        }
    }

    private Result exec(List<String> command, Duration timeout) throws Exception {
        Path out = Files.createTempFile(dir, "out", ".txt");
        Path err = Files.createTempFile(dir, "err", ".txt");
        Process p = new ProcessBuilder(new ArrayList<>(command)).redirectOutput(out.toFile()).redirectError(err.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile())).start();
        if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            p.destroyForcibly().waitFor();
            throw new AssertionError(command + " did not exit within " + timeout + ": "
                    + Files.readString(out, StandardCharsets.UTF_8) + " / " + Files.readString(err, StandardCharsets.UTF_8));
        }
        return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }
}
