package org.attenuator.plugin.learning;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import org.attenuator.bpf.Arch;
import org.attenuator.bpf.SyscallTable;
import org.junit.jupiter.api.Test;

class ContainerRuntimeTest {

    @Test
    void everyRuntimeListIsReadFromItsResourceAndHoldsOnlyRealDistinctX8664Syscalls() {
        for (ContainerRuntime r : List.of(ContainerRuntime.RUNC, ContainerRuntime.CRUN)) {
            List<String> names = r.baseSyscalls();
            assertTrue(names.contains("execve"), r + ": the container's own execve comes after the filter: " + names);
            assertEquals(names.size(), new HashSet<>(names).size(), r + " lists a name twice: " + names);
            for (String name : names) {
                assertTrue(SyscallTable.of(Arch.X86_64).number(name).isPresent(), r + ": not an x86_64 syscall: " + name);
            }
        }
        // what runc 1.1.5 was seen failing on without them
        assertTrue(ContainerRuntime.RUNC.baseSyscalls().containsAll(List.of("fstatfs", "getdents64", "openat", "write")));
        assertTrue(ContainerRuntime.NONE.baseSyscalls().isEmpty());
    }

    @Test
    void namesAndBaseProfileNames() {
        assertEquals(Optional.of(ContainerRuntime.RUNC), ContainerRuntime.parse("RunC"));
        assertEquals(Optional.empty(), ContainerRuntime.parse("docker"));
        assertEquals(Optional.of("runc-v1.1.5"), ContainerRuntime.RUNC.baseProfileName());
        assertEquals(Optional.of("crun-v1.8.1"), ContainerRuntime.CRUN.baseProfileName());
        assertEquals(Optional.empty(), ContainerRuntime.NONE.baseProfileName());
    }
}
