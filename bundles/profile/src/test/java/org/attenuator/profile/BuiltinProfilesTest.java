package org.attenuator.profile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.attenuator.bpf.Action;
import org.attenuator.bpf.Arch;
import org.attenuator.bpf.BpfInterpreter;
import org.attenuator.bpf.BpfProgram;
import org.attenuator.bpf.FilterCompiler;
import org.attenuator.bpf.SeccompData;
import org.attenuator.bpf.SyscallTable;
import org.junit.jupiter.api.Test;

/** The default is today's moby profile (no io_uring); Docker 20.10's stays available by name. */
class BuiltinProfilesTest {

    private static Action actionOf(String profile, Arch abi, String syscall) throws Exception {
        BpfProgram program = FilterCompiler.create().compile(PolicyResolver.resolve(BuiltinProfiles.named(profile)
                .orElseThrow(), ResolveOptions.defaults().withKernelVersion("6.18"))).program();
        return BpfInterpreter.runVerified(program, SeccompData.of(abi, SyscallTable.of(abi).number(syscall).orElseThrow()))
                .action();
    }

    @Test
    void theDefaultDeniesIoUringOnEveryArchitectureItCovers() throws Exception {
        for (Arch abi : new Arch[] {Arch.X86_64, Arch.X86, Arch.X32}) {
            for (String call : new String[] {"io_uring_setup", "io_uring_enter", "io_uring_register"}) {
                assertEquals(Action.errno(1), actionOf(BuiltinProfiles.DOCKER_DEFAULT, abi, call), abi + " " + call);
            }
        }
    }

    @Test
    void docker2010StillAllowsIoUring() throws Exception {
        assertEquals(Action.ALLOW, actionOf(BuiltinProfiles.DOCKER_20_10, Arch.X86_64, "io_uring_setup"));
    }

    @Test
    void theDefaultAllowsTheCallsNewerKernelsAddedThatGlibcUses() throws Exception {
        for (String call : new String[] {"fchmodat2", "cachestat", "futex_wait", "mseal", "getxattrat"}) {
            assertEquals(Action.ALLOW, actionOf(BuiltinProfiles.DOCKER_DEFAULT, Arch.X86_64, call), call);
        }
    }

    @Test
    void onlyTheBuiltinNamesResolve() {
        assertEquals(BuiltinProfiles.DOCKER_DEFAULT, BuiltinProfiles.NAMES.get(0));
        assertTrue(BuiltinProfiles.named("docker-19.03").isEmpty());
        assertTrue(BuiltinProfiles.named("../docker-default").isEmpty());
    }
}
