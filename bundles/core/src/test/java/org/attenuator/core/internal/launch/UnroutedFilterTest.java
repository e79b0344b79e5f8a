package org.attenuator.core.internal.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import org.attenuator.bpf.Action;
import org.attenuator.bpf.Arch;
import org.attenuator.bpf.Condition;
import org.attenuator.bpf.FilterCompiler;
import org.attenuator.bpf.Op;
import org.attenuator.bpf.Policy;
import org.attenuator.bpf.Rule;
import org.attenuator.core.Launch.Mode;
import org.attenuator.core.LaunchProfile;
import org.junit.jupiter.api.Test;

/**
 * Without the deny-log nothing is routed: the programs a launch installs are byte for byte those
 * compiled before routing existed (the digests were taken from that code).
 */
class UnroutedFilterTest {

    @Test
    void dockerDefaultSupervisedCompilesAsBefore() throws Exception {
        assertEquals("1c533cb57fd3d1d94cb57f1f445e542f4e11184a389158490bfb0f5e4865a8c7", digest(LaunchPlan.of(LaunchProfile.builtinDefault(), Mode.SUPERVISED).filter()));
    }

    @Test
    void argumentRulesSupervisedCompileAsBefore() throws Exception {
        assertEquals("e0b19acba0ceb87a66fd48f2867c922b6874621768aa4e73e7d3d834e072d74f", digest(LaunchPlan.of(LaunchProfile.of("args", argumentRules()), Mode.SUPERVISED).filter()));
    }

    /** mkdir denied EACCES, mkdirat ENOTSUP, kill with signal 9 EPERM (others allowed), ptrace killed. */
    static Policy argumentRules() {
        return new Policy(Action.ALLOW, List.of(Arch.X86_64), List.of(
                new Rule("mkdir", Action.errno(13), List.of(), "test"),
                new Rule("mkdirat", Action.errno(95), List.of(), "test"),
                new Rule("kill", Action.errno(1), List.of(new Condition(1, Op.EQ, 9)), "test"),
                new Rule("ptrace", Action.KILL_PROCESS, List.of(), "test")));
    }

    private static String digest(Policy p) throws Exception {
        byte[] program = FilterCompiler.create().compile(p).program().toBytes();
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(program));
    }
}
