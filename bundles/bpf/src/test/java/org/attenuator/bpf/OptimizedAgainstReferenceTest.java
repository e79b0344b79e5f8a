package org.attenuator.bpf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.BitSet;
import org.junit.jupiter.api.Test;

/**
 * Differential fuzzing in the manner of gVisor's secfuzz: the optimized program must give the
 * reference (unoptimized, linear) program's action and the policy's own semantics for every
 * probe, and the probes must execute every instruction of the optimized program.
 */
class OptimizedAgainstReferenceTest {

    private static final long SEED = 20261128L;
    private static final int POLICIES = 80;

    @Test
    void optimizedProgramAgreesWithReferenceAndIsFullyCovered() throws Exception {
        RandomPolicies generator = new RandomPolicies(SEED, true);
        FilterCompiler compiler = FilterCompiler.create();
        for (int i = 0; i < POLICIES; i++) {
            Policy policy = generator.next();
            CompiledFilter optimized = compiler.compile(policy);
            CompiledFilter reference = compiler.compile(policy, CompileOptions.DEFAULT.withOptimize(false));
            BitSet covered = new BitSet();
            for (Arch abi : new Arch[] {Arch.X86_64, Arch.X32, Arch.X86, Arch.AARCH64}) {
                for (SeccompData call : generator.calls(policy, abi)) {
                    BpfInterpreter.Execution fast = BpfInterpreter.runVerified(optimized.program(), call);
                    Action expected = policy.actionFor(abi, call.nr(), call.args(), Action.KILL_PROCESS);
                    String where = "policy " + i + " " + abi + " " + call;
                    assertEquals(expected, BpfInterpreter.runVerified(reference.program(), call).action(), where);
                    assertEquals(expected, fast.action(), where);
                    for (int pc : fast.path()) {
                        covered.set(pc);
                    }
                }
            }
            int size = optimized.program().size();
            int index = i;
            assertEquals(size, covered.cardinality(), () -> "policy " + index + " uncovered instructions "
                    + uncovered(covered, size) + "\n" + policy + "\n" + Disassembler.listing(optimized.program()));
            assertTrue(size <= reference.program().size(), "optimized is never larger");
        }
    }

    private static String uncovered(BitSet covered, int size) {
        BitSet missing = new BitSet();
        missing.set(0, size);
        missing.andNot(covered);
        return missing.toString();
    }
}
