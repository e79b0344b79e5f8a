package org.attenuator.profile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.attenuator.bpf.Action;
import org.attenuator.bpf.Arch;
import org.attenuator.bpf.BpfProgram;
import org.attenuator.bpf.Condition;
import org.attenuator.bpf.Policy;
import org.attenuator.bpf.Rule;

/**
 * libseccomp as a test oracle, through Debian's python3-seccomp (it needs /usr/bin/python3, not
 * a pyenv python). Missing is a failure with the package to install, never a skip.
 */
final class Libseccomp {

    static final Path PYTHON = Path.of("/usr/bin/python3");
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final Path workDir;
    private final Path script;
    private int count;

    Libseccomp(Path workDir) throws IOException, InterruptedException {
        this.workDir = workDir;
        this.script = workDir.resolve("libseccomp_compile.py");
        try (InputStream in = Libseccomp.class.getResourceAsStream("/libseccomp_compile.py")) {
            Files.copy(in, script, StandardCopyOption.REPLACE_EXISTING);
        }
        Process probe = new ProcessBuilder(PYTHON.toString(), "-c", "import seccomp").redirectErrorStream(true).start();
        String output = new String(probe.getInputStream().readAllBytes());
        if (probe.waitFor() != 0) {
            fail("libseccomp differential tests need python3-seccomp for " + PYTHON
                    + " (apt-get install python3-seccomp libseccomp-dev): " + output);
        }
    }

    /** libseccomp's program for the policy (SCMP_FLTATR_CTL_OPTIMIZE=2), as seccomp_export_bpf writes it. */
    BpfProgram compile(Policy policy, Action badArch) throws IOException, InterruptedException {
        Path spec = workDir.resolve("policy-" + count + ".json");
        Path out = workDir.resolve("policy-" + count++ + ".bpf");
        MAPPER.writeValue(spec.toFile(), spec(policy, badArch));
        Process p = new ProcessBuilder(PYTHON.toString(), script.toString(), spec.toString(), out.toString())
                .redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), () -> "libseccomp refused " + spec + ": " + output);
        return BpfProgram.fromBytes(Files.readAllBytes(out));
    }

    private static ObjectNode spec(Policy policy, Action badArch) {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("defaultAction", Integer.toUnsignedLong(policy.defaultAction().returnValue()));
        o.put("badArchAction", Integer.toUnsignedLong(badArch.returnValue()));
        ArrayNode arches = o.putArray("arches");
        policy.arches().stream().map(Arch::name).forEach(arches::add);
        ArrayNode rules = o.putArray("rules");
        for (Rule r : policy.rules()) {
            ObjectNode rule = rules.addObject();
            rule.put("syscall", r.syscall());
            rule.put("action", Integer.toUnsignedLong(r.action().returnValue()));
            ArrayNode args = rule.putArray("args");
            for (Condition c : r.conditions()) {
                args.addArray().add(c.argIndex()).add(c.op().scmpName())
                        .add(new BigInteger(Long.toUnsignedString(c.value())))
                        .add(new BigInteger(Long.toUnsignedString(c.valueTwo())));
            }
        }
        return o;
    }
}
