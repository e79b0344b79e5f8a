package org.attenuator.plugin.learning.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import org.attenuator.api.HandlerContext.Phase;
import org.attenuator.plugin.learning.ArgMatch;
import org.attenuator.plugin.learning.LearnedSyscall;
import org.attenuator.plugin.learning.ProfileDiff;
import org.attenuator.plugin.learning.ProfileMerge;
import org.attenuator.plugin.learning.ProfileRules;
import org.attenuator.profile.ProfileReader;
import org.attenuator.profile.ProfileWriter;
import org.junit.jupiter.api.Test;

/** Profiles flattened for diff and merge, merged, and written back as a profile that reads the same. */
class ProfileRulesTest {

    private static ProfileRules parse(String json, String source) throws Exception {
        return ProfileRules.of(ProfileReader.parse(json, source), source);
    }

    @Test
    void conditionsOnOneIndexAreAlternativesAsRuncReadsThem() throws Exception {
        ProfileRules p = parse("""
                {"defaultAction": "SCMP_ACT_ERRNO", "architectures": ["SCMP_ARCH_X86_64"],
                 "syscalls": [{"names": ["personality"], "action": "SCMP_ACT_ALLOW",
                   "args": [{"index": 0, "value": 0, "op": "SCMP_CMP_EQ"}, {"index": 0, "value": 8, "op": "SCMP_CMP_EQ"}]}]}
                """, "p.json");
        assertEquals(Set.of(new LearnedSyscall("x86_64", "personality", List.of(ArgMatch.eq(0, 0))),
                new LearnedSyscall("x86_64", "personality", List.of(ArgMatch.eq(0, 8)))), p.syscalls().keySet());
    }

    @Test
    void whatCannotBeComparedIsRefusedNamingTheEntry() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> parse("""
                {"defaultAction": "SCMP_ACT_ERRNO",
                 "syscalls": [{"names": ["bpf"], "action": "SCMP_ACT_ALLOW", "includes": {"caps": ["CAP_BPF"]}}]}
                """, "caps.json"));
        assertEquals("caps.json: syscalls[0] [bpf]: conditions on capabilities or kernel versions are not compared "
                + "by diff and merge", e.getMessage());
    }

    @Test
    void aMergeJoinsPhasesKeepsTheStricterActionAndWritesAProfileThatReadsTheSame() throws Exception {
        ProfileRules a = parse("""
                {"defaultAction": "SCMP_ACT_ERRNO", "architectures": ["SCMP_ARCH_X86_64", "SCMP_ARCH_X86"],
                 "syscalls": [{"names": ["execve"], "action": "SCMP_ACT_ALLOW"},
                              {"names": ["ptrace"], "action": "SCMP_ACT_ALLOW", "includes": {"arches": ["amd64"]}}],
                 "attenuator": {"learning": {"initOnly": {"SCMP_ARCH_X86_64": ["execve"]}}}}
                """, "a");
        ProfileRules b = parse("""
                {"defaultAction": "SCMP_ACT_ERRNO", "architectures": ["SCMP_ARCH_X86_64"],
                 "syscalls": [{"names": ["execve", "uname"], "action": "SCMP_ACT_ALLOW"},
                              {"names": ["ptrace"], "action": "SCMP_ACT_KILL_PROCESS"}]}
                """, "b");
        ProfileMerge merge = ProfileMerge.of(a, b);

        assertEquals(List.of("ptrace/x86_64: SCMP_ACT_ALLOW in a, SCMP_ACT_KILL_PROCESS in b: keeping "
                + "SCMP_ACT_KILL_PROCESS (the stricter)"), merge.conflicts());
        ProfileRules merged = merge.merged();
        assertFalse(merged.syscalls().get(new LearnedSyscall("x86_64", "execve")).initOnly(),
                "seen after the apply point in b");
        assertFalse(merged.syscalls().get(new LearnedSyscall("i386", "execve")).initOnly(), "never init-only on i386");
        assertEquals(Set.of(Phase.RUN), merged.syscalls().get(new LearnedSyscall("x86_64", "uname")).phases());

        ProfileRules written = parse(ProfileWriter.toJson(merged.toProfile("m")), "m.json");
        assertTrue(ProfileDiff.between(merged, written).same(), () -> ProfileDiff.between(merged, written).lines().toString());
        assertEquals(List.of("+ uname/x86_64", "~ execve/x86_64: init only -> seen after the apply point",
                "~ ptrace/x86_64: SCMP_ACT_ALLOW -> SCMP_ACT_KILL_PROCESS"), ProfileDiff.between(a, written).lines());
    }
}
