package org.attenuator.plugin.learning.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.attenuator.api.HandlerContext.Phase;
import org.attenuator.bpf.Arch;
import org.attenuator.linux.AttenuatorPaths;
import org.attenuator.linux.RefusedPathException;
import org.attenuator.plugin.learning.ArgMatch;
import org.attenuator.plugin.learning.ExportFormat;
import org.attenuator.plugin.learning.LearnedProfile;
import org.attenuator.plugin.learning.LearnedSyscall;
import org.attenuator.plugin.learning.MergeResult;
import org.attenuator.profile.Profile;
import org.attenuator.profile.ProfileReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileProfileStoreTest {

    private static final Set<Phase> RUN = EnumSet.of(Phase.RUN);
    private static final Set<Phase> INIT = EnumSet.of(Phase.INIT);

    @TempDir
    Path home;

    private static Map<LearnedSyscall, Set<Phase>> seen(Set<Phase> phases, LearnedSyscall... syscalls) {
        Map<LearnedSyscall, Set<Phase>> m = new HashMap<>();
        for (LearnedSyscall s : syscalls) {
            m.put(s, phases);
        }
        return m;
    }

    private static LearnedSyscall sc(String name) {
        return new LearnedSyscall("x86_64", name);
    }

    @Test
    void runsMergeAndCountRunsWithoutChange() throws Exception {
        FileProfileStore store = new FileProfileStore(home);
        MergeResult first = store.endRun("web", seen(RUN, sc("read"), sc("write")), false);
        assertEquals(List.of(sc("read"), sc("write")), first.added());
        assertEquals(1, first.profile().runs());
        assertEquals(0, first.profile().runsWithoutChange());

        MergeResult second = store.endRun("web", seen(RUN, sc("read"), sc("openat")), false);
        assertEquals(List.of(sc("openat")), second.added());
        assertEquals(Set.of(sc("read"), sc("write"), sc("openat")), second.profile().syscalls().keySet());

        MergeResult third = store.endRun("web", seen(RUN, sc("read")), false);
        MergeResult fourth = store.endRun("web", seen(RUN, sc("write")), false);
        assertEquals(4, fourth.profile().runs());
        assertEquals(2, fourth.profile().runsWithoutChange());
        assertTrue(fourth.profile().settled(2));
        assertFalse(third.changed());

        // a run whose periodic merge added something does not count as quiet
        store.merge("web", seen(RUN, sc("close")));
        MergeResult fifth = store.endRun("web", seen(RUN, sc("close")), true);
        assertEquals(0, fifth.profile().runsWithoutChange());

        LearnedProfile loaded = store.load("web").orElseThrow();
        assertEquals(5, loaded.runs());
        assertEquals(4, loaded.syscalls().size());
    }

    @Test
    void filesAreValidPrettyOciProfilesWithModes() throws Exception {
        FileProfileStore store = new FileProfileStore(home);
        LearnedSyscall socket = new LearnedSyscall("x86_64", "socket",
                List.of(ArgMatch.eq(0, 2), ArgMatch.maskedEq(1, ArgRecorder.SOCK_TYPE_MASK, 0x80801)));
        LearnedSyscall clone = new LearnedSyscall("x86_64", "clone",
                List.of(ArgMatch.maskedEq(0, ArgRecorder.CLONE_NAMESPACES, 0x1200011)));
        LearnedSyscall i386 = new LearnedSyscall("i386", "read");
        Map<LearnedSyscall, Set<Phase>> seen = seen(RUN, sc("read"), socket, clone, i386);
        seen.put(sc("execve"), INIT);
        store.endRun("/usr/sbin/nginx@sha256:00ff", seen, false);

        Path file = store.fileOf("/usr/sbin/nginx@sha256:00ff");
        assertTrue(file.getFileName().toString().matches("usr_sbin_nginx_sha256_00ff-[0-9a-f]{16}\\.json"), file.toString());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(store.directory())));
        try (Stream<Path> files = Files.list(store.directory())) {
            assertTrue(files.noneMatch(p -> p.toString().endsWith(".tmp")), "no temporary file left");
        }
        String text = Files.readString(file);
        assertTrue(text.contains("\n  \"defaultAction\" : \"SCMP_ACT_ERRNO\""), text);

        Profile p = ProfileReader.read(file);
        assertEquals("SCMP_ACT_ERRNO", p.defaultAction());
        assertEquals(1, p.defaultErrnoRet());
        assertEquals(List.of("SCMP_ARCH_X86_64", "SCMP_ARCH_X86"), p.architectures());
        Profile.SyscallEntry sock = p.syscalls().stream().filter(e -> e.names().equals(List.of("socket"))).findFirst()
                .orElseThrow();
        assertEquals(List.of("amd64"), sock.includes().arches());
        assertEquals(2, sock.args().size());
        assertEquals("SCMP_CMP_MASKED_EQ", sock.args().get(1).op());
        assertEquals(0xf, sock.args().get(1).value());
        assertEquals(1, sock.args().get(1).valueTwo());
        Profile.SyscallEntry cl = p.syscalls().stream().filter(e -> e.names().equals(List.of("clone"))).findFirst()
                .orElseThrow();
        assertEquals(0x7e020000L, cl.args().get(0).value());
        assertEquals(0, cl.args().get(0).valueTwo());
        Profile.SyscallEntry exec = p.syscalls().stream().filter(e -> e.names().contains("execve")).findFirst()
                .orElseThrow();
        assertEquals(ProfileCodec.INIT_ONLY_COMMENT, exec.comment());
        assertEquals("/usr/sbin/nginx@sha256:00ff", p.attenuator().learningKey());

        // read back: same syscalls and phases
        LearnedProfile back = store.load("/usr/sbin/nginx@sha256:00ff").orElseThrow();
        assertEquals(seen.keySet(), back.syscalls().keySet());
        assertEquals(INIT, back.syscalls().get(sc("execve")));
        assertEquals(RUN, back.syscalls().get(sc("read")));

        // seen after the apply point on a later run: no longer init-only, and that is a change
        MergeResult later = store.endRun("/usr/sbin/nginx@sha256:00ff", seen(RUN, sc("execve")), false);
        assertTrue(later.changed());
        assertTrue(later.added().isEmpty());
        assertEquals(EnumSet.of(Phase.INIT, Phase.RUN), later.profile().syscalls().get(sc("execve")));
        assertEquals(Set.of(Arch.X86_64, Arch.X86), Set.copyOf(
                p.architectures().stream().map(a -> Arch.fromScmpName(a).orElseThrow()).toList()));
    }

    @Test
    void listShowExportAndDelete() throws Exception {
        FileProfileStore store = new FileProfileStore(home);
        assertTrue(store.list().isEmpty());
        store.endRun("b", seen(RUN, sc("read")), false);
        store.endRun("a", seen(RUN, sc("write"), new LearnedSyscall("x86_64", "ioctl", List.of(ArgMatch.eq(1, 0x5401)))),
                false);
        assertEquals(List.of("a", "b"), store.list().stream().map(LearnedProfile::key).toList());
        assertTrue(store.load("a.json").isPresent());

        String oci = store.export("a", ExportFormat.OCI).orElseThrow();
        Profile reread = ProfileReader.parse(oci, "export");
        assertEquals(2, reread.syscalls().size());

        JsonNode spo = new ObjectMapper().readTree(store.export("a", ExportFormat.SPO).orElseThrow());
        assertEquals("security-profiles-operator.x-k8s.io/v1", spo.get("apiVersion").asText());
        assertEquals("SeccompProfile", spo.get("kind").asText());
        assertEquals("a", spo.at("/metadata/name").asText());
        assertEquals("SCMP_ACT_ERRNO", spo.at("/spec/defaultAction").asText());
        assertEquals("SCMP_ARCH_X86_64", spo.at("/spec/architectures/0").asText());
        assertEquals(21505, spo.at("/spec/syscalls/1/args/0/value").asLong());
        // the spec part is itself an OCI profile
        ProfileReader.parse(spo.get("spec").toString(), "spo spec");

        assertTrue(store.delete("a"));
        assertFalse(store.delete("a"));
        assertTrue(store.export("a", ExportFormat.OCI).isEmpty());
    }

    @Test
    void concurrentWritersInThisProcessLoseNothing() throws Exception {
        FileProfileStore one = new FileProfileStore(home);
        FileProfileStore two = new FileProfileStore(home);
        List<Thread> threads = new ArrayList<>();
        List<Throwable> errors = new java.util.concurrent.CopyOnWriteArrayList<>();
        for (int t = 0; t < 4; t++) {
            FileProfileStore store = t % 2 == 0 ? one : two;
            String prefix = "t" + t + "_";
            threads.add(new Thread(() -> {
                try {
                    for (int i = 0; i < 25; i++) {
                        store.merge("shared", seen(RUN, sc(prefix + i)));
                    }
                } catch (Throwable e) {
                    errors.add(e);
                }
            }));
        }
        threads.forEach(Thread::start);
        for (Thread t : threads) {
            t.join();
        }
        assertEquals(List.of(), errors);
        assertEquals(100, one.load("shared").orElseThrow().syscalls().size());
    }

    @Test
    void concurrentWritersInTwoProcessesLoseNothing() throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<Process> processes = new ArrayList<>();
        for (String prefix : List.of("p_", "q_")) {
            processes.add(new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                    StoreWriterMain.class.getName(), home.toString(), "shared", prefix, "40")
                    .redirectErrorStream(true).start());
        }
        FileProfileStore store = new FileProfileStore(home);
        for (int i = 0; i < 40; i++) {
            store.merge("shared", seen(RUN, sc("r_" + i)));
        }
        for (Process p : processes) {
            assertTrue(p.waitFor(60, TimeUnit.SECONDS));
            assertEquals(0, p.exitValue(), new String(p.getInputStream().readAllBytes()));
        }
        assertEquals(120, store.load("shared").orElseThrow().syscalls().size());
    }

    @Test
    void fileNames() {
        assertEquals("nginx.json", FileNames.of("nginx"));
        assertEquals("redis-7.2.json", FileNames.of("redis-7.2"));
        assertTrue(FileNames.of("../etc/passwd").matches("etc_passwd-[0-9a-f]{16}\\.json"));
        assertTrue(FileNames.of(".hidden").matches("hidden-[0-9a-f]{16}\\.json"));
        assertFalse(FileNames.of("a/b").equals(FileNames.of("a_b")));
        assertEquals("usr-sbin-nginx-sha256-00", SpoExport.resourceName("/usr/sbin/nginx@sha256:00"));
    }

    @Test
    void aProfileSomeoneElseOwnsOrALinkIsRefusedAndListSkipsIt() throws Exception {
        assumeTrue(AttenuatorPaths.uid() == 0, "planting another user's file needs root");
        FileProfileStore store = new FileProfileStore(home);
        store.endRun("web", seen(RUN, sc("read")), false);
        store.endRun("evil", seen(RUN, sc("read")), false);
        Path evil = store.fileOf("evil");
        Files.setAttribute(evil, "unix:uid", 1000, LinkOption.NOFOLLOW_LINKS);
        RefusedPathException e = assertThrows(RefusedPathException.class, () -> store.load("evil"));
        assertEquals("refusing " + evil + ": owned by uid 1000, not 0 or root", e.getMessage());
        assertEquals(List.of("web"), store.list().stream().map(LearnedProfile::key).toList());

        // a link to a profile elsewhere: refused, and a merge neither reads nor writes through it
        String web = Files.readString(store.fileOf("web"));
        Path outside = Files.writeString(home.resolve("outside.json"), web);
        Files.delete(evil);
        Files.createSymbolicLink(evil, outside);
        assertThrows(RefusedPathException.class, () -> store.load("evil"));
        assertThrows(RefusedPathException.class, () -> store.merge("evil", seen(RUN, sc("write"))));
        assertEquals(web, Files.readString(outside));
        assertTrue(Files.isSymbolicLink(evil));
    }
}
