package org.attenuator.core.internal.launch;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.attenuator.bpf.CompileException;
import org.attenuator.bpf.FilterCompiler;
import org.attenuator.bpf.Policy;
import org.attenuator.core.Launch;
import org.attenuator.core.Launch.Mode;
import org.attenuator.core.LaunchException;
import org.attenuator.core.LaunchException.Reason;
import org.attenuator.core.LaunchProfile;

/**
 * Compiled filter programs of recent launches: profiles are immutable values and a launch of the
 * same profile in the same way gets the same program, so it is compiled once (about 1 ms each).
 * Bounded: past {@value #MAX_PROGRAMS} entries it starts over.
 */
final class ProgramCache {

    /** What a program is a function of: the profile, the mode's kind, the apply point and the filter's variant. */
    private record Key(LaunchProfile profile, boolean kernelOnly, List<String> applyPoint, Variant variant) {}

    /** Which filter of a launch: the profile as written, or with its denials routed through the supervisor. */
    enum Variant { AS_WRITTEN, ROUTED }

    private static final int MAX_PROGRAMS = 32;

    private final FilterCompiler compiler = FilterCompiler.create();
    private final Map<Key, byte[]> programs = new ConcurrentHashMap<>();

    byte[] program(Launch launch, Policy filter, Variant variant) throws LaunchException {
        Key key = new Key(launch.profile(), launch.mode() == Mode.KERNEL_ONLY, launch.applyPoint(), variant);
        byte[] program = programs.get(key);
        if (program == null) {
            try {
                program = compiler.compile(filter).program().toBytes();
            } catch (CompileException | IllegalArgumentException e) {
                String profile = launch.profile().source().map(Object::toString).orElse(launch.profile().name());
                throw new LaunchException(Reason.BAD_PROFILE, "profile " + profile + ": " + e.getMessage(), e);
            }
            if (programs.size() >= MAX_PROGRAMS) {
                programs.clear();
            }
            programs.put(key, program);
        }
        return program;
    }
}
