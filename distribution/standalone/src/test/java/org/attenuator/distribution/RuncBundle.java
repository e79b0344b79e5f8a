package org.attenuator.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.attenuator.distribution.Distribution.Result;

/**
 * A runc bundle in a test directory, as a user makes one: a rootfs with Debian's busybox-static as
 * {@code /bin/busybox} and {@code /bin/sh}, optionally the host's {@code /usr} bind-mounted read-only
 * (with {@code /lib}, {@code /lib64}, {@code /sbin} linked into it, as on the host) for a dynamically
 * linked daemon, and {@code runc spec}'s config without a terminal, with a writable root. Each
 * {@link #run} is {@code runc run} of a fresh container to its end; {@link #close} deletes every
 * container it started, also after a failure half-way. Needs root, runc and busybox-static.
 */
final class RuncBundle implements AutoCloseable {

    static final Path RUNC = Path.of("/usr/sbin/runc");
    static final Path BUSYBOX = Path.of("/bin/busybox");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path bundle;
    private final Path runcRoot;
    private final List<String> containers = new ArrayList<>();

    /** A bundle under {@code dir}; {@code hostUsr}: bind-mount the host's /usr. */
    RuncBundle(Path dir, boolean hostUsr) throws Exception {
        assertTrue(Files.isExecutable(RUNC), "runc is not installed (apt-get install runc; .ci/run does)");
        assertTrue(Files.isExecutable(BUSYBOX), "busybox-static is not installed (apt-get install busybox-static; .ci/run does)");
        assertEquals("root", System.getProperty("user.name"), "runc containers need root: run the tests as root");
        bundle = Files.createDirectories(dir.resolve("bundle"));
        runcRoot = Files.createDirectories(dir.resolve("runc-root"));
        Path rootfs = bundle.resolve("rootfs");
        for (String d : List.of("proc", "dev", "sys", "tmp", "etc")) {
            Files.createDirectories(rootfs.resolve(d));
        }
        if (hostUsr) {
            Files.createDirectories(rootfs.resolve("usr"));
            for (String link : List.of("bin", "lib", "lib64", "sbin")) {
                Files.createSymbolicLink(rootfs.resolve(link), Path.of("usr", link));
            }
        } else {
            Path bin = Files.createDirectories(rootfs.resolve("bin"));
            Files.copy(BUSYBOX, bin.resolve("busybox"));
            Files.createSymbolicLink(bin.resolve("sh"), Path.of("busybox"));
        }
        Result spec = exec(List.of(RUNC.toString(), "spec", "--bundle", bundle.toString()));
        assertEquals(0, spec.status(), () -> "runc spec: " + spec);
        ObjectNode config = config();
        ((ObjectNode) config.get("process")).put("terminal", false);
        ((ObjectNode) config.get("root")).put("readonly", false);
        if (hostUsr) {
            ObjectNode usr = ((ArrayNode) config.get("mounts")).addObject();
            usr.put("destination", "/usr").put("type", "bind").put("source", "/usr");
            usr.putArray("options").add("rbind").add("ro");
        }
        write(config);
    }

    /** Sets {@code linux.seccomp} to the JSON profile {@code seccomp}. */
    RuncBundle seccomp(String seccomp) throws IOException {
        ObjectNode config = config();
        ((ObjectNode) config.get("linux")).set("seccomp", JSON.readTree(seccomp));
        write(config);
        return this;
    }

    /** {@code runc run} of a new container whose process is {@code args}, to its end (at most a minute). */
    Result run(String... args) throws Exception {
        ObjectNode config = config();
        ArrayNode argv = ((ObjectNode) config.get("process")).putArray("args");
        for (String a : args) {
            argv.add(a);
        }
        write(config);
        String id = "attenuator-it-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
        containers.add(id);
        return exec(List.of(RUNC.toString(), "--root", runcRoot.toString(), "run", "--bundle", bundle.toString(), id));
    }

    Path rootfs() {
        return bundle.resolve("rootfs");
    }

    @Override
    public void close() throws Exception {
        for (String id : containers) {
            exec(List.of(RUNC.toString(), "--root", runcRoot.toString(), "delete", "--force", id));
        }
    }

    private ObjectNode config() throws IOException {
        return (ObjectNode) JSON.readTree(bundle.resolve("config.json").toFile());
    }

    private void write(JsonNode config) throws IOException {
        JSON.writerWithDefaultPrettyPrinter().writeValue(bundle.resolve("config.json").toFile(), config);
    }

    private Result exec(List<String> command) throws Exception {
        Path out = Files.createTempFile(bundle.getParent(), "runc-out", ".txt");
        Path err = Files.createTempFile(bundle.getParent(), "runc-err", ".txt");
        Process p = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile())).start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor();
            throw new AssertionError(command + " did not end within a minute: " + Files.readString(err));
        }
        return new Result(p.exitValue(), Files.readString(out), Files.readString(err));
    }
}
