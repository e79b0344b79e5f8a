package org.attenuator.core.internal.launch;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.attenuator.core.Launch;
import org.attenuator.core.LaunchException;
import org.attenuator.core.LaunchException.Reason;
import org.attenuator.profile.Capabilities;

/**
 * The fork server's request for one launch, as attenuator-exec's top comment defines it: NUL-ended
 * fields (verb, mode, capability mask, pid namespace, executable, directory, argv, environment),
 * then the filter program.
 */
final class ExecRequest {

    private ExecRequest() {
    }

    static byte[] encode(Launch launch, LaunchPlan plan, Path executable, byte[] program) throws LaunchException {
        List<String> fields = new ArrayList<>(List.of("exec",
                (plan.controlled() ? "supervised" : "kernel") + (launch.kernelLog() ? "+log" : ""),
                launch.capabilities().map(c -> Long.toHexString(Capabilities.mask(c))).orElse("all"),
                launch.ownPidNamespace() ? "new" : "shared",
                executable.toString(), launch.directory().orElse(Path.of("")).toAbsolutePath().toString()));
        fields.add(Integer.toString(launch.argv().size()));
        fields.addAll(launch.argv());
        Map<String, String> env = launch.environment().orElseGet(System::getenv);
        fields.add(Integer.toString(env.size()));
        env.forEach((k, v) -> fields.add(k + "=" + v));
        ByteArrayOutputStream out = new ByteArrayOutputStream(8192);
        for (String f : fields) {
            if (f.indexOf('\0') >= 0) {
                throw new LaunchException(Reason.SETUP, "argument or environment entry with a NUL character: " + f.replace('\0', '@'));
            }
            out.writeBytes(f.getBytes(StandardCharsets.UTF_8));
            out.write(0);
        }
        out.writeBytes(program);
        return out.toByteArray();
    }
}
