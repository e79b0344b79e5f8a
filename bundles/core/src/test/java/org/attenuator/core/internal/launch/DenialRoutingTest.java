package org.attenuator.core.internal.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.attenuator.api.Decision;
import org.attenuator.bpf.Action;
import org.attenuator.bpf.Arch;
import org.attenuator.bpf.BpfInterpreter;
import org.attenuator.bpf.BpfProgram;
import org.attenuator.bpf.FilterCompiler;
import org.attenuator.bpf.Policy;
import org.attenuator.bpf.Rule;
import org.attenuator.bpf.SeccompData;
import org.attenuator.bpf.SyscallTable;
import org.attenuator.core.Launch.Mode;
import org.attenuator.core.LaunchProfile;
import org.attenuator.core.spi.RoutedDenials;
import org.junit.jupiter.api.Test;

/**
 * Routing the profile's denials through the supervisor: the kernel notifies exactly the calls the
 * original filter denied (or notified), the rest keep their action, and the supervisor's answer
 * is the original filter's, argument conditions included. Checked by running both compiled
 * programs on every syscall number of each ABI with argument values the rules test.
 */
class DenialRoutingTest {

    private static final long[][] ARGS = {{0, 0, 0, 0, 0, 0}, {1, 9, 0, 0, 0, 0}, {0, 15, 0, 0, 0, 0},
            {0x7ffd0000L, 0x1ff, 0, 0, 0, 0}, {-1, -1, -1, -1, -1, -1}};

    @Test
    void dockerDefaultNotifiesExactlyWhatItDenied() throws Exception {
        checkAgainstOriginal(LaunchProfile.builtinDefault());
    }

    @Test
    void argumentRulesNotifyExactlyWhatTheyDenied() throws Exception {
        checkAgainstOriginal(LaunchProfile.of("args", UnroutedFilterTest.argumentRules()));
    }

    @Test
    void eachRoutedSyscallHasItsOneAnswer() {
        DenialRouting r = LaunchPlan.of(LaunchProfile.of("args", UnroutedFilterTest.argumentRules()), Mode.SUPERVISED,
                List.of(), true).routing().orElseThrow();
        assertEquals(Decision.deny(13), r.answers().get("mkdir"));
        assertEquals(Decision.deny(95), r.answers().get("mkdirat"));
        assertEquals(Decision.deny(1), r.answers().get("kill"), "only kill(_, 9) is denied, always EPERM");
        assertEquals(Decision.kill(), r.answers().get("ptrace"));
        assertEquals(Optional.empty(), r.otherwise(), "the default allows");
        assertTrue(r.notified().contains("execve"));
    }

    @Test
    void aSyscallWhoseDenialsDifferByArgumentStaysInTheKernel() {
        Policy p = new Policy(Action.errno(1), List.of(Arch.X86_64), List.of(
                new Rule("kill", Action.errno(13), new org.attenuator.bpf.Condition(1, org.attenuator.bpf.Op.EQ, 9)),
                new Rule("kill", Action.ALLOW, new org.attenuator.bpf.Condition(1, org.attenuator.bpf.Op.EQ, 15)),
                new Rule("read", Action.ALLOW)));
        DenialRouting r = LaunchPlan.of(LaunchProfile.of("mixed", p), Mode.SUPERVISED, List.of(), true).routing().orElseThrow();
        assertEquals(Action.errno(13), r.filter().rules().stream().filter(x -> x.syscall().equals("kill")).findFirst()
                .orElseThrow().action(), "EACCES for signal 9, EPERM (the default) for the others: two answers");
        assertEquals(Decision.deny(1), r.answers().get("kill"), "what reaches the supervisor is the default's");
        assertEquals(Optional.of(Decision.deny(1)), r.otherwise());
        assertEquals(Action.USER_NOTIF, r.filter().defaultAction());
    }

    @Test
    void trapStaysInTheKernel() {
        Policy p = new Policy(Action.ALLOW, List.of(Arch.X86_64), List.of(new Rule("mkdir", Action.trap(0))));
        DenialRouting r = LaunchPlan.of(LaunchProfile.of("trap", p), Mode.SUPERVISED, List.of(), true).routing().orElseThrow();
        assertEquals(Action.trap(0), LaunchPlan.kernelAction(r.filter(), "mkdir"));
        assertNull(r.answers().get("mkdir"));
    }

    private static void checkAgainstOriginal(LaunchProfile profile) throws Exception {
        LaunchPlan plan = LaunchPlan.of(profile, Mode.SUPERVISED, List.of(), true);
        DenialRouting routing = plan.routing().orElseThrow();
        FilterCompiler compiler = FilterCompiler.create();
        BpfProgram routed = compiler.compile(plan.filter()).program();
        BpfProgram original = compiler.compile(routing.kernelFilter()).program();
        assertEquals(LaunchPlan.of(profile, Mode.SUPERVISED).filter(), routing.kernelFilter(), "the unrouted plan's filter");
        RoutedDenials denials = new RoutedDenials(original, routing.answers(), routing.otherwise(), routing.notified());
        int routedCalls = 0;
        for (Arch abi : profile.policy().arches()) {
            SyscallTable table = SyscallTable.of(abi);
            for (int nr : table.numbers()) {
                for (long[] args : ARGS) {
                    SeccompData d = SeccompData.of(abi, nr, args);
                    Action before = BpfInterpreter.run(original, d).action();
                    Action now = BpfInterpreter.run(routed, d).action();
                    String call = table.name(nr).orElse("#" + nr) + " on " + abi + " " + java.util.Arrays.toString(args);
                    if (RoutedDenials.routes(before)) {
                        assertEquals(Action.USER_NOTIF, now, call);
                        assertEquals(RoutedDenials.decisionOf(before), denials.answerFor(d.arch(), d.nr(), 0, d.args()), call);
                        routedCalls++;
                    } else {
                        assertEquals(before, now, call);
                        if (now.kind() != Action.Kind.USER_NOTIF) {
                            assertNull(denials.answerFor(d.arch(), d.nr(), 0, d.args()), call);
                        }
                    }
                }
            }
        }
        assertTrue(routedCalls > 0);
    }
}
