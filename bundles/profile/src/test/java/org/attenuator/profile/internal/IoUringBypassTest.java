package org.attenuator.profile.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.attenuator.bpf.Action;
import org.attenuator.bpf.Arch;
import org.attenuator.bpf.Condition;
import org.attenuator.bpf.Op;
import org.attenuator.bpf.Policy;
import org.attenuator.bpf.Rule;
import org.attenuator.profile.BuiltinProfiles;
import org.attenuator.profile.PolicyResolver;
import org.attenuator.profile.ResolveOptions;
import org.junit.jupiter.api.Test;

/** Which profiles leave the io_uring walk-around open, and what the warning names. */
class IoUringBypassTest {

    private static final Action EPERM = Action.errno(1);

    private static Policy allowing(Rule... rules) {
        return new Policy(Action.ALLOW, List.of(Arch.X86_64), List.of(rules));
    }

    @Test
    void deniedAndNotifiedCallsThatOpsPerformAreNamed() {
        Policy policy = allowing(new Rule("mkdirat", EPERM), new Rule("openat", Action.USER_NOTIF));
        assertEquals(Optional.of("profile p.json allows io_uring_setup, whose ops MKDIRAT, OPENAT bypass its rules"
                + " for mkdirat, openat"), IoUringBypass.warning("p.json", policy));
    }

    @Test
    void anArgumentRuleThatDeniesSomeCallsCountsAsARule() {
        Policy policy = allowing(new Rule("socket", EPERM, new Condition(0, Op.EQ, 16)));
        assertEquals(Optional.of("profile p allows io_uring_setup, whose ops SOCKET bypass its rules for socket"),
                IoUringBypass.warning("p", policy));
    }

    @Test
    void anAllowListWithoutTheCallsNamesTheOpsAgainstItsDefault() {
        Policy policy = new Policy(EPERM, List.of(Arch.X86_64),
                List.of(new Rule("io_uring_setup", Action.ALLOW), new Rule("read", Action.ALLOW)));
        String warning = IoUringBypass.warning("p", policy).orElseThrow();
        assertTrue(warning.contains("ops ACCEPT, BIND,") && warning.contains(" MKDIRAT,"), warning);
        assertFalse(warning.contains(" read,"), warning);
    }

    @Test
    void anOpCountsOnlyWhenEveryCallItStandsForIsRestricted() {
        assertEquals(Optional.empty(), IoUringBypass.warning("p", allowing(new Rule("futex_wait", EPERM))));
        assertEquals(Optional.of("profile p allows io_uring_setup, whose ops FUTEX_WAIT bypass its rules for futex,"
                + " futex_wait"), IoUringBypass.warning("p", allowing(new Rule("futex_wait", EPERM),
                new Rule("futex", EPERM, new Condition(1, Op.EQ, 0)))));
    }

    @Test
    void noWarningWhenIoUringSetupIsDeniedOrNothingIsRestricted() {
        assertEquals(Optional.empty(), IoUringBypass.warning("p",
                allowing(new Rule("io_uring_setup", EPERM), new Rule("mkdirat", EPERM))));
        assertEquals(Optional.empty(), IoUringBypass.warning("p", allowing(new Rule("getpid", EPERM))));
    }

    @Test
    void neitherBuiltinDeniesACallAnOpPerforms() throws Exception {
        ResolveOptions options = ResolveOptions.defaults().withKernelVersion("6.18");
        assertEquals(Optional.empty(), IoUringBypass.warning(BuiltinProfiles.DOCKER_DEFAULT,
                PolicyResolver.resolve(BuiltinProfiles.dockerDefault(), options)));
        // 20.10 allows io_uring, but also every call its ops stand for: nothing to bypass (futex covers FUTEX_*)
        assertEquals(Optional.empty(), IoUringBypass.warning(BuiltinProfiles.DOCKER_20_10,
                PolicyResolver.resolve(BuiltinProfiles.named(BuiltinProfiles.DOCKER_20_10).orElseThrow(), options)));
    }
}
