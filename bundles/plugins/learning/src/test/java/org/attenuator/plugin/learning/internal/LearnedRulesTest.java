package org.attenuator.plugin.learning.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.attenuator.api.HandlerContext.Phase;
import org.attenuator.bpf.Action;
import org.attenuator.bpf.Arch;
import org.attenuator.bpf.BpfInterpreter;
import org.attenuator.bpf.BpfProgram;
import org.attenuator.bpf.FilterCompiler;
import org.attenuator.bpf.SeccompData;
import org.attenuator.bpf.SyscallTable;
import org.attenuator.plugin.learning.ArgMatch;
import org.attenuator.plugin.learning.LearnedProfile;
import org.attenuator.plugin.learning.LearnedSyscall;
import org.attenuator.plugin.learning.Learning;
import org.junit.jupiter.api.Test;

/**
 * The filter of a repeat learning run, compiled and run as the kernel runs it: what the key learned
 * is allowed (on its ABI, with its values), everything learning would record as new is notified.
 */
class LearnedRulesTest {

    private static final List<Arch> HOST = List.of(Arch.X86_64, Arch.X86, Arch.X32);
    private static final long AF_UNIX = 1, AF_INET = 2, SOCK_STREAM = 1, SOCK_DGRAM = 2, SOCK_CLOEXEC = 0x80000;
    private static final long F_GETFD = 1, F_GETFL = 3;

    /** What learning records for a call of {@code name} on x86_64 with these registers. */
    private static LearnedSyscall recorded(String name, long... registers) {
        long[] six = new long[6];
        System.arraycopy(registers, 0, six, 0, registers.length);
        return new LearnedSyscall("x86_64", name, ArgRecorder.args(name, i -> six[i]));
    }

    private static BpfProgram filter(Map<LearnedSyscall, Set<Phase>> learned) throws Exception {
        LearnedProfile profile = new LearnedProfile("k", Path.of("k.json"), learned, 1, 0, Instant.EPOCH, null);
        return FilterCompiler.create().compile(Learning.policy(HOST, Learning.BASE, Optional.of(profile))).program();
    }

    private static Action.Kind action(BpfProgram filter, Arch abi, String name, long... args) {
        int nr = SyscallTable.of(abi).number(name).orElseThrow();
        return BpfInterpreter.run(filter, SeccompData.of(abi, nr, args)).action().kind();
    }

    @Test
    void learnedCallsAreAllowedOnTheirAbiWithTheirValuesOnly() throws Exception {
        BpfProgram filter = filter(Map.of(
                recorded("socket", AF_UNIX, SOCK_STREAM), EnumSet.of(Phase.RUN),
                recorded("fcntl", 3, F_GETFL), EnumSet.of(Phase.RUN),
                recorded("getcwd"), EnumSet.of(Phase.INIT, Phase.RUN)));

        assertEquals(Action.Kind.ALLOW, action(filter, Arch.X86_64, "socket", AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC));
        assertEquals(Action.Kind.ALLOW, action(filter, Arch.X86_64, "fcntl", 7, F_GETFL));
        assertEquals(Action.Kind.ALLOW, action(filter, Arch.X86_64, "getcwd", 0, 0));
        assertEquals(Action.Kind.ALLOW, action(filter, Arch.X86, "read", 0, 0, 0), "the base, on every ABI");

        assertEquals(Action.Kind.USER_NOTIF, action(filter, Arch.X86_64, "socket", AF_UNIX, SOCK_DGRAM));
        assertEquals(Action.Kind.USER_NOTIF, action(filter, Arch.X86_64, "socket", AF_INET, SOCK_STREAM));
        assertEquals(Action.Kind.USER_NOTIF, action(filter, Arch.X86_64, "fcntl", 3, F_GETFD));
        assertEquals(Action.Kind.USER_NOTIF, action(filter, Arch.X86_64, "uname", 0));
        assertEquals(Action.Kind.USER_NOTIF, action(filter, Arch.X86, "getcwd", 0, 0), "learned on x86_64 only");
        assertEquals(Action.Kind.USER_NOTIF, action(filter, Arch.X32, "getcwd", 0, 0), "learned on x86_64 only");
    }

    @Test
    void whatLearningWouldRecordAsSomethingElseStaysNotified() throws Exception {
        BpfProgram filter = filter(Map.of(
                recorded("openat"), EnumSet.of(Phase.INIT),
                new LearnedSyscall("x86_64", "socket"), EnumSet.of(Phase.RUN),
                new LearnedSyscall("x86_64", "ioctl", List.of(ArgMatch.maskedEq(1, 0xff00, 0x5400))),
                EnumSet.of(Phase.RUN)));

        assertEquals(Action.Kind.USER_NOTIF, action(filter, Arch.X86_64, "openat", 0, 0, 0),
                "init-only: a sighting after the apply point must be learned");
        assertEquals(Action.Kind.USER_NOTIF, action(filter, Arch.X86_64, "socket", AF_UNIX, SOCK_STREAM),
                "learning records socket with its values");
        assertEquals(Action.Kind.USER_NOTIF, action(filter, Arch.X86_64, "ioctl", 1, 0x5401),
                "learning records ioctl's request with EQ");
    }

    @Test
    void everyRecordedFormIsRecognisedAsSuch() {
        for (String name : List.of("socket", "ioctl", "prctl", "personality", "clone", "unshare", "fcntl", "getcwd")) {
            LearnedSyscall s = recorded(name, 0x7e0200f1L, 0x80802L);
            assertEquals(true, ArgRecorder.recordsAs(s), s::toString);
        }
    }

    @Test
    void aKeyThatLearnedMoreThanOneFilterHoldsIsNotifiedAsAFirstRunIs() throws Exception {
        Map<LearnedSyscall, Set<Phase>> learned = new java.util.HashMap<>();
        for (long request = 0x5400; request < 0x5400 + 3000; request++) {
            learned.put(recorded("ioctl", 1, request), EnumSet.of(Phase.RUN));
        }
        LearnedProfile profile = new LearnedProfile("k", Path.of("k.json"), learned, 1, 0, Instant.EPOCH, null);

        assertEquals(Learning.policy(HOST, Learning.BASE), Learning.policy(HOST, Learning.BASE, Optional.of(profile)));
        BpfProgram filter = FilterCompiler.create().compile(Learning.policy(HOST, Learning.BASE, Optional.of(profile))).program();
        assertEquals(Action.Kind.USER_NOTIF, action(filter, Arch.X86_64, "ioctl", 1, 0x5401));
    }
}
