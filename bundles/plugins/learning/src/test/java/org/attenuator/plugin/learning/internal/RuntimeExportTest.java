package org.attenuator.plugin.learning.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.attenuator.api.HandlerContext.Phase;
import org.attenuator.plugin.learning.ArgMatch;
import org.attenuator.plugin.learning.ContainerRuntime;
import org.attenuator.plugin.learning.ExportFormat;
import org.attenuator.plugin.learning.LearnedSyscall;
import org.attenuator.profile.Profile;
import org.attenuator.profile.Profile.SyscallEntry;
import org.attenuator.profile.ProfileReader;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RuntimeExportTest {

    @TempDir
    Path home;
    FileProfileStore store;

    @BeforeEach
    void learnSome() throws Exception {
        store = new FileProfileStore(home);
        // close is in runc's base too; ioctl only with its learned request
        store.endRun("web", Map.of(new LearnedSyscall("x86_64", "close"), EnumSet.of(Phase.RUN),
                new LearnedSyscall("x86_64", "mkdir"), EnumSet.of(Phase.RUN),
                new LearnedSyscall("x86_64", "ioctl", List.of(ArgMatch.eq(1, 0x5401))), EnumSet.of(Phase.RUN)), false);
    }

    @Test
    void ociExportForARuntimeAllowsItsBaseInOneEntryOfItsOwnAndKeepsWhatWasLearned() throws Exception {
        Profile learned = ProfileReader.parse(store.export("web", ExportFormat.OCI, ContainerRuntime.NONE).orElseThrow(), "none");
        Profile runc = ProfileReader.parse(store.export("web", ExportFormat.OCI, ContainerRuntime.RUNC).orElseThrow(), "runc");
        assertEquals(learned.syscalls(), runc.syscalls().subList(0, learned.syscalls().size()), "the learned entries unchanged");
        SyscallEntry base = runc.syscalls().get(runc.syscalls().size() - 1);
        assertEquals("SCMP_ACT_ALLOW", base.action());
        assertTrue(base.comment().startsWith("runc-v1.1.5: "), base.comment());
        Set<String> expected = new HashSet<>(ContainerRuntime.RUNC.baseSyscalls());
        expected.remove("close"); // already allowed as learned
        assertEquals(expected, new HashSet<>(base.allNames()));
        assertEquals(learned.defaultAction(), runc.defaultAction());
        assertEquals(learned.architectures(), runc.architectures());
        // the two-argument export is the profile as learned
        assertEquals(store.export("web", ExportFormat.OCI, ContainerRuntime.NONE), store.export("web", ExportFormat.OCI));
    }

    @Test
    void spoExportForARuntimeIsTheBaseProfileAndTheLearnedOneNamingIt() throws Exception {
        JsonNode list = new ObjectMapper().readTree(store.export("web", ExportFormat.SPO, ContainerRuntime.RUNC).orElseThrow());
        assertEquals("v1", list.get("apiVersion").asText());
        assertEquals("List", list.get("kind").asText());
        JsonNode base = list.at("/items/0");
        JsonNode profile = list.at("/items/1");
        assertEquals("SeccompProfile", base.get("kind").asText());
        assertEquals("runc-v1.1.5", base.at("/metadata/name").asText());
        assertEquals(ContainerRuntime.RUNC.baseSyscalls(), names(base.at("/spec/syscalls/0/names")));
        assertEquals("web", profile.at("/metadata/name").asText());
        assertEquals("runc-v1.1.5", profile.at("/spec/baseProfileName").asText());
        // spoc record's way too: the base is in the profile itself, so it starts a container without its base
        List<String> allowed = new ArrayList<>();
        profile.at("/spec/syscalls").forEach(e -> allowed.addAll(names(e.get("names"))));
        assertTrue(allowed.containsAll(ContainerRuntime.RUNC.baseSyscalls()), allowed.toString());
        assertTrue(allowed.contains("mkdir"));

        JsonNode plain = new ObjectMapper().readTree(store.export("web", ExportFormat.SPO, ContainerRuntime.NONE).orElseThrow());
        assertEquals("SeccompProfile", plain.get("kind").asText());
        assertTrue(plain.at("/spec/baseProfileName").isMissingNode());
    }

    private static List<String> names(JsonNode array) {
        List<String> names = new ArrayList<>();
        array.forEach(n -> names.add(n.asText()));
        return names;
    }
}
