package org.attenuator.plugin.fallback.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.attenuator.api.Decision;
import org.attenuator.bpf.BpfProgram;
import org.attenuator.bpf.Instruction;
import org.attenuator.core.spi.RoutedDenials;
import org.attenuator.core.spi.TreePolicy;
import org.junit.jupiter.api.Test;

/** What the keeper answers for the profile's denials routed through a supervisor that died. */
class FallbackSpecRoutedTest {

    /** A program that allows everything: the keeper table is all that matters here. */
    private static final BpfProgram ALLOW = new BpfProgram(List.of(Instruction.stmt(Instruction.RET | Instruction.K, 0x7fff0000)));

    @Test
    void routedSyscallsKeepTheProfilesAnswerEvenUnderFallbackAllow() {
        RoutedDenials routed = new RoutedDenials(ALLOW, Map.of("mkdir", Decision.deny(13), "mkdirat", Decision.deny(95),
                "ptrace", Decision.kill()), Optional.empty(), Set.of("execve"));
        FallbackSpec user = FallbackSpec.parse("allow,mkdir=allow", FallbackSpec.of("errno:1"), TreePolicy.DEFAULT);
        assertEquals("default=errno:1,59=allow,83=errno:13,101=kill,258=errno:95", user.withRouted(routed).keeperSpec(),
                "mkdir (83) the profile's EACCES, not the user's allow; another ABI's routed call gets EPERM, not allow;"
                        + " execve (59), which the tree decides, keeps the user's allow");
    }

    @Test
    void aRoutedDefaultIsTheKeepersDefault() {
        RoutedDenials routed = new RoutedDenials(ALLOW, Map.of("clone3", Decision.deny(38)), Optional.of(Decision.deny(1)),
                Set.of("execve", "execveat"));
        FallbackSpec user = FallbackSpec.parse("errno:EACCES", FallbackSpec.of("errno:1"), TreePolicy.DEFAULT);
        assertEquals("default=errno:1,59=errno:13,322=errno:13,435=errno:38", user.withRouted(routed).keeperSpec());
    }
}
