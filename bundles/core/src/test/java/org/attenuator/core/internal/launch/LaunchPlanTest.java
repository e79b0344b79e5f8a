package org.attenuator.core.internal.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.attenuator.api.Decision;
import org.attenuator.bpf.Action;
import org.attenuator.bpf.Arch;
import org.attenuator.bpf.Policy;
import org.attenuator.bpf.Rule;
import org.attenuator.core.Launch.Mode;
import org.attenuator.core.LaunchProfile;
import org.attenuator.core.spi.TreePolicy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Profiles to filters and tree policies, per mode. */
class LaunchPlanTest {

    @TempDir
    Path dir;

    @Test
    void dockerDefaultIsReadForThisMachine() {
        LaunchProfile p = LaunchProfile.builtinDefault();
        assertEquals("docker-default", p.name());
        assertEquals(List.of(Arch.X86_64, Arch.X86, Arch.X32), p.policy().arches());
        assertEquals(Action.errno(1), p.policy().defaultAction());
        assertEquals(Action.ALLOW, LaunchPlan.kernelAction(p.policy(), "execve"));
        assertEquals(Action.ALLOW, LaunchPlan.kernelAction(p.policy(), "arch_prctl")); // includes.arches amd64
        assertEquals(Decision.deny(1), p.undecided());
    }

    @Test
    void supervisedNotifiesExecAndDecidesItAsTheProfileDoes() {
        LaunchPlan plan = LaunchPlan.of(LaunchProfile.builtinDefault(), Mode.SUPERVISED);
        assertTrue(plan.controlled());
        assertEquals(Action.USER_NOTIF, LaunchPlan.kernelAction(plan.filter(), "execve"));
        assertEquals(Action.USER_NOTIF, LaunchPlan.kernelAction(plan.filter(), "execveat"));
        assertEquals(Decision.allow(), plan.treePolicy().decisions().get("execve"));
        assertEquals(Decision.deny(1), plan.treePolicy().undecided());
    }

    @Test
    void applyPointTriggersAreNotifiedAndDecidedAsTheProfileDoes() {
        LaunchPlan plan = LaunchPlan.of(LaunchProfile.builtinDefault(), Mode.SUPERVISED, List.of("listen", "mount"));
        assertEquals(Action.USER_NOTIF, LaunchPlan.kernelAction(plan.filter(), "listen"));
        assertEquals(java.util.Set.of("listen", "mount"), plan.treePolicy().applyPoint());
        assertEquals(Decision.allow(), plan.treePolicy().decisions().get("listen"));
        assertTrue(plan.treePolicy().decisions().containsKey("mount"), "decided as the profile decides it");
        assertThrows(IllegalArgumentException.class,
                () -> org.attenuator.core.Launch.command("true").kernelOnly().applyPoint(List.of("listen")).build());
    }

    @Test
    void auditingNotifiesWhatTheProfileDeniesWithItsDecision() {
        Policy p = new Policy(Action.errno(1), List.of(Arch.X86_64), List.of(new Rule("getppid", Action.ALLOW),
                new Rule("mkdir", Action.errno(13)), new Rule("ptrace", Action.KILL_PROCESS)));
        LaunchPlan plan = LaunchPlan.of(LaunchProfile.of("p", p).auditing(), Mode.SUPERVISED);
        assertEquals(Action.ALLOW, LaunchPlan.kernelAction(plan.filter(), "getppid"));
        assertEquals(Action.USER_NOTIF, LaunchPlan.kernelAction(plan.filter(), "mkdir"));
        assertEquals(Action.USER_NOTIF, LaunchPlan.kernelAction(plan.filter(), "chdir"));
        assertEquals(Decision.deny(13), plan.treePolicy().decisions().get("mkdir"));
        assertEquals(Decision.kill(), plan.treePolicy().decisions().get("ptrace"));
        assertEquals(Decision.deny(1), plan.treePolicy().undecided());
    }

    @Test
    void kernelOnlyNeedsNoControlWhenExecIsAllowedAndTurnsNotifyIntoUndecided() {
        Policy p = new Policy(Action.ALLOW, List.of(Arch.X86_64), List.of(new Rule("getppid", Action.USER_NOTIF)));
        LaunchProfile profile = new LaunchProfile("n", java.util.Optional.empty(), p, java.util.Set.of(), Decision.deny(13));
        LaunchPlan plan = LaunchPlan.of(profile, Mode.KERNEL_ONLY);
        assertFalse(plan.controlled());
        assertEquals(Action.errno(13), LaunchPlan.kernelAction(plan.filter(), "getppid"));
        Policy noExec = new Policy(Action.ALLOW, List.of(Arch.X86_64), List.of(new Rule("execve", Action.KILL_PROCESS)));
        plan = LaunchPlan.of(LaunchProfile.of("x", noExec), Mode.KERNEL_ONLY);
        assertTrue(plan.controlled());
        assertEquals(Action.USER_NOTIF, LaunchPlan.kernelAction(plan.filter(), "execve"));
    }

    @Test
    void kernelOnlyLeavesExecveatToTheKernelWhenTheProfileAllowsExecve() {
        // what learning writes for a shell: execve seen, execveat never, the rest denied
        Policy learned = new Policy(Action.errno(1), List.of(Arch.X86_64), List.of(new Rule("execve", Action.ALLOW)));
        LaunchPlan plan = LaunchPlan.of(LaunchProfile.of("learned", learned), Mode.KERNEL_ONLY);
        assertFalse(plan.controlled());
        assertEquals(Action.ALLOW, LaunchPlan.kernelAction(plan.filter(), "execve"));
        assertEquals(Action.errno(1), LaunchPlan.kernelAction(plan.filter(), "execveat"));
    }

    @Test
    void extensionNotifiesListedSyscallsWithTheirProfileDecision() throws Exception {
        Path file = dir.resolve("ext.json");
        Files.writeString(file, """
                {"defaultAction": "SCMP_ACT_ALLOW", "architectures": ["SCMP_ARCH_X86_64"],
                 "syscalls": [{"names": ["mkdir"], "action": "SCMP_ACT_ERRNO", "errnoRet": 13},
                              {"names": ["getppid"], "action": "SCMP_ACT_NOTIFY"}],
                 "attenuator": {"notify": ["mkdir", "openat"], "undecided": "kill"}}
                """);
        LaunchProfile profile = LaunchProfile.read(file);
        assertEquals(Decision.kill(), profile.undecided());
        LaunchPlan plan = LaunchPlan.of(profile, Mode.SUPERVISED);
        for (String s : List.of("mkdir", "openat", "getppid", "execve")) {
            assertEquals(Action.USER_NOTIF, LaunchPlan.kernelAction(plan.filter(), s), s);
        }
        // the profile bundle's resolver: a notified name goes to the supervisor whatever its entries say
        assertEquals(Decision.kill(), plan.treePolicy().decisionFor("mkdir", org.attenuator.api.HandlerContext.Phase.RUN));
        assertEquals(Decision.kill(), plan.treePolicy().decisionFor("openat", org.attenuator.api.HandlerContext.Phase.RUN));
        assertEquals(Decision.kill(), plan.treePolicy().decisionFor("getppid", org.attenuator.api.HandlerContext.Phase.RUN));
    }

    @Test
    void badProfilesNameFileAndField() throws Exception {
        Path file = dir.resolve("bad.json");
        Files.writeString(file, "{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"syscalls\": [{\"names\": [\"read\"], "
                + "\"action\": \"SCMP_ACT_ALLOW\", \"args\": [{\"index\": 9, \"value\": 1, \"op\": \"SCMP_CMP_EQ\"}]}]}");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> LaunchProfile.read(file));
        assertTrue(e.getMessage().contains("bad.json") && e.getMessage().contains("index"), e.getMessage());
        Files.writeString(file, "{not json");
        e = assertThrows(IllegalArgumentException.class, () -> LaunchProfile.read(file));
        assertTrue(e.getMessage().contains("bad.json"), e.getMessage());
    }

    @Test
    void theProfilesApplyPointJoinsTheLaunchs() throws Exception {
        Path file = Files.writeString(dir.resolve("daemon.json"), "{\"defaultAction\": \"SCMP_ACT_ALLOW\","
                + " \"attenuator\": {\"applyPoint\": [\"listen\"], \"initOnly\": [\"mkdir\"]}}");
        LaunchProfile profile = LaunchProfile.read(file);
        assertEquals(List.of("listen"), profile.applyPoint());
        LaunchPlan plan = LaunchPlan.of(profile, Mode.SUPERVISED, List.of("execve"));
        assertEquals(java.util.Set.of("listen", "execve"), plan.treePolicy().applyPoint());
        assertEquals(Action.USER_NOTIF, LaunchPlan.kernelAction(plan.filter(), "listen"));
        assertEquals(Action.USER_NOTIF, LaunchPlan.kernelAction(plan.filter(), "mkdir"), "init-only: notified");
        assertEquals(Decision.allow(), plan.treePolicy().initDecisions().get("mkdir"));
        assertEquals(Decision.deny(1), plan.treePolicy().decisions().get("mkdir"));
        // what an agent builds from the same file (LaunchPolicySource) holds the same apply point
        assertEquals(java.util.Set.of("listen"), LaunchPlan.of(profile, Mode.SUPERVISED).treePolicy().applyPoint());
    }

    @Test
    void theExtensionsHandlerFilterNarrowsTheTreesHandlers() throws Exception {
        Path file = dir.resolve("guarded.json");
        Files.writeString(file, "{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"attenuator\": {\"notify\": [\"connect\"],"
                + " \"handlers\": \"(component.name=org.attenuator.example.connectguard.ConnectGuard)\"}}");
        TreePolicy tree = LaunchPlan.of(LaunchProfile.read(file), Mode.SUPERVISED).treePolicy();
        assertEquals(Optional.of("(component.name=org.attenuator.example.connectguard.ConnectGuard)"), tree.handlers());
        assertTrue(tree.admitsHandler(Map.of("component.name", "org.attenuator.example.connectguard.ConnectGuard")));
        assertFalse(tree.admitsHandler(Map.of("component.name", "other")));

        Files.writeString(file, "{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"attenuator\": {\"handlers\": \"(a=\"}}");
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class, () -> LaunchProfile.read(file));
        assertTrue(bad.getMessage().startsWith(file + ": attenuator.handlers: not a valid LDAP filter"), bad.getMessage());
        Files.writeString(file, "{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"attenuator\": {\"handlers\": 7}}");
        bad = assertThrows(IllegalArgumentException.class, () -> LaunchProfile.read(file));
        assertTrue(bad.getMessage().endsWith("attenuator.handlers: must be a string (an LDAP filter)"), bad.getMessage());
    }

    @Test
    void agentTreesGetTheLaunchProfilesDecisions() {
        LaunchPolicySource source = new LaunchPolicySource();
        assertEquals(Decision.allow(), source.policyFor("docker-default").orElseThrow().decisions().get("execve"));
        assertEquals(java.util.Optional.empty(), source.policyFor("some-store-key"));
    }

    @Test
    void initOnlySyscallsAreAllowedBeforeTheApplyPointAndUndecidedAfter() throws Exception {
        Path file = dir.resolve("init.json");
        Files.writeString(file, """
                {"defaultAction": "SCMP_ACT_ERRNO", "architectures": ["SCMP_ARCH_X86_64"],
                 "syscalls": [{"names": ["mkdir", "listen", "execve", "getppid", "chdir"], "action": "SCMP_ACT_ALLOW"},
                              {"names": ["socket"], "action": "SCMP_ACT_ALLOW", "args": [{"index": 0, "value": 2, "op": "SCMP_CMP_EQ"}]}],
                 "attenuator": {"initOnly": ["mkdir", "socket"], "undecided": "errno:EACCES",
                                "learning": {"initOnly": {"SCMP_ARCH_X86_64": ["chdir"], "SCMP_ARCH_X86": ["getppid"]}}}}
                """);
        LaunchProfile profile = LaunchProfile.read(file);
        assertEquals(java.util.Set.of("mkdir", "socket", "chdir"), profile.initOnly());
        LaunchPlan plan = LaunchPlan.of(profile, Mode.SUPERVISED, List.of("listen"));
        TreePolicy tree = plan.treePolicy();
        for (String s : List.of("mkdir", "chdir")) {
            assertEquals(Action.USER_NOTIF, LaunchPlan.kernelAction(plan.filter(), s), s);
            assertEquals(Decision.allow(), tree.decisionFor(s, org.attenuator.api.HandlerContext.Phase.INIT), s);
            assertEquals(Decision.deny(13), tree.decisionFor(s, org.attenuator.api.HandlerContext.Phase.RUN), s);
        }
        assertEquals(Decision.allow(), tree.decisionFor("listen", org.attenuator.api.HandlerContext.Phase.INIT));
        // conditions stay in the kernel; other names as the profile says
        assertEquals(null, LaunchPlan.kernelAction(plan.filter(), "socket"));
        assertEquals(Action.ALLOW, LaunchPlan.kernelAction(plan.filter(), "getppid"));
        // without an apply point, init-only names are what the profile says
        plan = LaunchPlan.of(profile, Mode.SUPERVISED);
        assertEquals(Action.ALLOW, LaunchPlan.kernelAction(plan.filter(), "mkdir"));
    }
}
