package org.attenuator.profile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.attenuator.bpf.Action;
import org.attenuator.bpf.Arch;
import org.attenuator.bpf.BpfInterpreter;
import org.attenuator.bpf.BpfProgram;
import org.attenuator.bpf.CompiledFilter;
import org.attenuator.bpf.Disassembler;
import org.attenuator.bpf.FilterCompiler;
import org.attenuator.bpf.Policy;
import org.attenuator.bpf.RandomPolicies;
import org.attenuator.bpf.SeccompData;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Our program and libseccomp's (optimize=2) for the same policy must return the same action for
 * every system call number of every covered arch (and the others), with arguments around every
 * rule's values, 0, all ones and random ones.
 */
class LibseccompDifferentialTest {

    /** The shipped built-in profiles, as files (target/classes during the build). */
    static final Path BUILTIN = Path.of("target", "classes", "org", "attenuator", "profile");
    private static final long SEED = 42L;
    private static final long BUDGET_NANOS = 25_000_000_000L;
    private static final int MIN_POLICIES = 10;
    private static final Arch[] ABIS = {Arch.X86_64, Arch.X32, Arch.X86, Arch.AARCH64};

    private static Libseccomp libseccomp;

    @BeforeAll
    static void findLibseccomp() throws Exception {
        libseccomp = new Libseccomp(Files.createDirectories(Path.of("target", "libseccomp")));
    }

    /**
     * Both built-ins, today's moby default (with its minKernel and per-arch and per-capability
     * includes) and Docker 20.10's. The calls libseccomp 2.5.4 does not know (Linux 6.2 and later)
     * are left out of the comparison; their numbers are checked in the bpf bundle's table tests.
     */
    @ParameterizedTest
    @ValueSource(strings = {BuiltinProfiles.DOCKER_DEFAULT, BuiltinProfiles.DOCKER_20_10})
    void builtinProfileAgreesAndIsSmallerAndShorter(String name) throws Exception {
        Policy resolved = PolicyResolver.resolve(ProfileReader.read(BUILTIN.resolve(name + ".json")),
                ResolveOptions.defaults().withKernelVersion("6.18"));
        assertEquals(List.of(Arch.X86_64, Arch.X86, Arch.X32), resolved.arches());
        Policy policy = new Policy(resolved.defaultAction(), resolved.arches(),
                resolved.rules().stream().filter(r -> RandomPolicies.knownToLibseccomp(r.syscall())).toList());
        CompiledFilter ours = FilterCompiler.create().compile(policy);
        BpfProgram theirs = libseccomp.compile(policy, Action.KILL_PROCESS);
        assertSameActions(policy, ours.program(), theirs, new RandomPolicies(SEED));
        assertTrue(ours.program().size() <= theirs.size(), ours.program().size() + " > " + theirs.size());
        assertTrue(Disassembler.longestPath(ours.program()) <= Disassembler.longestPath(theirs));
    }

    @Test
    void randomPoliciesAgree() throws Exception {
        RandomPolicies generator = new RandomPolicies(SEED);
        FilterCompiler compiler = FilterCompiler.create();
        // MIN_POLICIES whatever the machine's load (a count, not a rate, is what this test proves), more while time allows
        long deadline = System.nanoTime() + BUDGET_NANOS;
        for (int compared = 0; compared < MIN_POLICIES || compared < 60 && System.nanoTime() < deadline; compared++) {
            Policy policy = generator.next();
            assertSameActions(policy, compiler.compile(policy).program(), libseccomp.compile(policy, Action.KILL_PROCESS),
                    generator);
        }
    }

    private static void assertSameActions(Policy policy, BpfProgram ours, BpfProgram theirs, RandomPolicies probes) {
        BpfInterpreter.verify(ours);
        BpfInterpreter.verify(theirs);
        for (Arch abi : ABIS) {
            for (SeccompData call : probes.calls(policy, abi)) {
                Action expected = BpfInterpreter.runVerified(theirs, call).action();
                Action actual = BpfInterpreter.runVerified(ours, call).action();
                if (!expected.equals(actual)) {
                    assertEquals(expected, actual, abi + " " + call + " rules " + policy.rulesFor(abi, call.nr())
                            + "\n" + policy);
                }
            }
        }
    }
}
