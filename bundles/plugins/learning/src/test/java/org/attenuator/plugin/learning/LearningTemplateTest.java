package org.attenuator.plugin.learning;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.attenuator.bpf.Arch;
import org.attenuator.bpf.SyscallTable;
import org.attenuator.profile.Profile;
import org.attenuator.profile.Profile.SyscallEntry;
import org.attenuator.profile.ProfileReader;
import org.attenuator.profile.ProfileWriter;
import org.junit.jupiter.api.Test;

class LearningTemplateTest {

    @Test
    void runcTemplateAllowsTheBaseAndWriteAndNotifiesEveryOtherSyscallOfEveryAbi() throws Exception {
        Profile p = ProfileReader.parse(ProfileWriter.toJson(
                LearningTemplate.forContainer("web", ContainerRuntime.RUNC, Path.of("/run/agent.sock"))), "template");
        // what runc 1.1 refuses: NOTIFY as the default, NOTIFY on write
        assertNotEquals("SCMP_ACT_NOTIFY", p.defaultAction());
        Set<String> allowed = new HashSet<>();
        Set<String> notified = new HashSet<>();
        for (SyscallEntry e : p.syscalls()) {
            assertTrue(e.args().isEmpty(), "no conditions: " + e);
            (e.action().equals("SCMP_ACT_ALLOW") ? allowed : notified).addAll(e.allNames());
        }
        assertFalse(notified.contains("write"));
        assertEquals(new HashSet<>(withWrite(ContainerRuntime.RUNC.baseSyscalls())), allowed);
        for (Arch arch : List.of(Arch.X86_64, Arch.X86, Arch.X32)) {
            for (String name : SyscallTable.of(arch).names()) {
                assertTrue(allowed.contains(name) || notified.contains(name), arch + "/" + name + " neither allowed nor notified");
            }
        }
        assertTrue(notified.containsAll(List.of("mkdir", "mkdirat", "socket", "ptrace", "clone")));
        assertEquals(List.of("SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32"), p.architectures());
        assertEquals("/run/agent.sock", p.listenerPath());
        List<String> lines = List.of(p.listenerMetadata().split("\n"));
        assertEquals("learn=web", lines.get(0));
        assertEquals(LearningTemplate.BASE_METADATA + "=" + String.join(",", allowed.stream().sorted().toList()), lines.get(1));
    }

    private static List<String> withWrite(List<String> base) {
        List<String> all = new java.util.ArrayList<>(base);
        all.add("write");
        return all;
    }

    @Test
    void noTemplateWithoutARuntimeOrForAKeyThatWouldBreakTheMetadataLines() {
        Path socket = Path.of("/run/agent.sock");
        assertThrows(IllegalArgumentException.class, () -> LearningTemplate.forContainer("web", ContainerRuntime.NONE, socket));
        assertThrows(IllegalArgumentException.class,
                () -> LearningTemplate.forContainer("web\nlearn.base=ptrace", ContainerRuntime.RUNC, socket));
        assertThrows(IllegalArgumentException.class, () -> LearningTemplate.forContainer(" ", ContainerRuntime.RUNC, socket));
    }
}
