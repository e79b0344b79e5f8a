package org.attenuator.profile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import org.attenuator.bpf.Action;
import org.attenuator.bpf.Arch;
import org.attenuator.bpf.Policy;
import org.attenuator.bpf.Rule;
import org.attenuator.profile.AttenuatorSettings.Decision;
import org.junit.jupiter.api.Test;

class RoundTripTest {

    private static final String PROFILE = "{\n"
            + "  \"defaultAction\": \"SCMP_ACT_ERRNO\", \"defaultErrnoRet\": 1,\n"
            + "  \"architectures\": [\"SCMP_ARCH_X86_64\", \"SCMP_ARCH_X86\"],\n"
            + "  \"flags\": [\"SECCOMP_FILTER_FLAG_LOG\"], \"listenerPath\": \"/run/agent.sock\", \"listenerMetadata\": \"k=v\",\n"
            + "  \"syscalls\": [\n"
            + "    {\"names\": [\"read\", \"write\"], \"action\": \"SCMP_ACT_ALLOW\", \"comment\": \"io\"},\n"
            + "    {\"name\": \"close\", \"action\": \"SCMP_ACT_ALLOW\"},\n"
            + "    {\"names\": [\"mmap\"], \"action\": \"SCMP_ACT_ERRNO\", \"errnoRet\": 13,\n"
            + "     \"args\": [{\"index\": 2, \"value\": 18446744073709551615, \"valueTwo\": 4, \"op\": \"SCMP_CMP_MASKED_EQ\"}]},\n"
            + "    {\"names\": [\"reboot\"], \"action\": \"SCMP_ACT_ALLOW\", \"includes\": {\"caps\": [\"CAP_SYS_BOOT\"]}},\n"
            + "    {\"names\": [\"chroot\"], \"action\": \"SCMP_ACT_ALLOW\", \"includes\": {\"caps\": [\"CAP_SYS_CHROOT\"], \"minKernel\": \"4.8\"}},\n"
            + "    {\"names\": [\"arch_prctl\"], \"action\": \"SCMP_ACT_ALLOW\", \"includes\": {\"arches\": [\"amd64\"]}},\n"
            + "    {\"names\": [\"execve\"], \"action\": \"SCMP_ACT_ALLOW\", \"excludes\": {\"arches\": [\"amd64\"]}}\n"
            + "  ],\n"
            + "  \"attenuator\": {\"notify\": [\"openat\"], \"undecided\": \"errno:EACCES\", \"applyPoint\": [\"listen\"],\n"
            + "    \"learningKey\": \"web\", \"fallback\": {\"default\": \"errno:EPERM\", \"syscalls\": {\"write\": \"allow\", \"kill\": \"kill\"}},\n"
            + "    \"handlers\": \"(component.name=web)\", \"learning\": {\"runs\": 3}}\n"
            + "}\n";

    @Test
    void everyFieldSurvivesWritingBack() throws Exception {
        Profile read = ProfileReader.parse(PROFILE, "test.json");
        Profile again = ProfileReader.parse(ProfileWriter.toJson(read), "written.json");
        assertEquals(read, again);
        assertEquals(-1L, again.syscalls().get(2).args().get(0).value());
        // the section's fields other bundles read (core, the learning plugin) are kept as they are
        assertEquals("(component.name=web)", again.attenuator().otherFields().get("handlers"));
        assertEquals(Map.of("runs", 3), again.attenuator().otherFields().get("learning"));
        assertEquals(Decision.errno(13), again.attenuator().undecided());
        assertEquals(Decision.ALLOW, again.attenuator().fallback().decisionFor("write"));
        assertEquals(Decision.errno(1), again.attenuator().fallback().decisionFor("read"));
    }

    @Test
    void builtinProfilesRoundTrip() throws Exception {
        for (String name : BuiltinProfiles.NAMES) {
            Profile builtin = BuiltinProfiles.named(name).orElseThrow();
            assertEquals(builtin, ProfileReader.parse(ProfileWriter.toJson(builtin), "written.json"), name);
        }
    }

    @Test
    void resolvesLikeRuncAndDocker() throws Exception {
        Profile p = ProfileReader.parse(PROFILE, "test.json");
        Policy policy = PolicyResolver.resolve(p, ResolveOptions.defaults().withKernelVersion("4.4"));
        assertEquals(List.of(Arch.X86_64, Arch.X86), policy.arches());
        List<String> names = policy.rules().stream().map(Rule::syscall).toList();
        // reboot needs CAP_SYS_BOOT (not a default cap); chroot needs kernel 4.8; execve is excluded on amd64
        assertEquals(List.of("read", "write", "close", "mmap", "arch_prctl", "openat"), names);
        assertEquals(Action.errno(13), policy.rules().get(3).action());
        assertEquals(Action.USER_NOTIF, policy.rules().get(5).action());
        assertEquals("syscalls[1].name", policy.rules().get(2).origin());

        Policy withCaps = PolicyResolver.resolve(p, ResolveOptions.defaults().withKernelVersion("6.18")
                .withCapabilities(Capabilities.parse("sys_boot,sys_chroot")));
        assertTrue(withCaps.rules().stream().anyMatch(r -> r.syscall().equals("reboot")));
        assertTrue(withCaps.rules().stream().anyMatch(r -> r.syscall().equals("chroot")));
    }

    @Test
    void writtenProfileIsPlainOciJson() throws Exception {
        String json = ProfileWriter.toJson(ProfileReader.parse(PROFILE, "test.json"));
        assertTrue(json.contains("\"value\" : 18446744073709551615"), json);
        java.nio.file.Path file = Files.createTempFile("profile", ".json");
        ProfileWriter.write(ProfileReader.parse(PROFILE, "test.json"), file);
        assertEquals(json, Files.readString(file));
    }
}
