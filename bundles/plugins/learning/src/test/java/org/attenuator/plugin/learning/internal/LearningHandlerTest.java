package org.attenuator.plugin.learning.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.attenuator.api.Decision;
import org.attenuator.api.HandlerContext.Phase;
import org.attenuator.api.SupervisedTree;
import org.attenuator.plugin.learning.ArgMatch;
import org.attenuator.plugin.learning.LearnedProfile;
import org.attenuator.plugin.learning.LearnedSyscall;
import org.attenuator.plugin.learning.LearningListener;
import org.attenuator.plugin.learning.MergeResult;
import org.attenuator.testkit.ComponentConfig;
import org.attenuator.testkit.FakeContext;
import org.attenuator.testkit.FakeEvent;
import org.attenuator.testkit.FakeTree;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LearningHandlerTest {

    @TempDir
    Path home;

    private static LearningHandler.Config config(int flushSeconds) {
        return ComponentConfig.of(LearningHandler.Config.class, Map.of("flushSeconds", flushSeconds));
    }

    private static final class Recorder implements LearningListener {
        final List<String> events = new CopyOnWriteArrayList<>();
        final CountDownLatch ended = new CountDownLatch(1);
        volatile MergeResult result;

        @Override
        public void started(String key, String treeId, Optional<LearnedProfile> learnedSoFar) {
            events.add("started " + key + " " + learnedSoFar.map(p -> p.syscalls().size()).orElse(-1));
        }

        @Override
        public void learned(String key, String treeId, LearnedSyscall syscall) {
            events.add("learned " + syscall);
        }

        @Override
        public void ended(String key, String treeId, MergeResult r) {
            result = r;
            ended.countDown();
        }
    }

    @Test
    void allowsRecordsAndStoresAtTreeEnd() throws Exception {
        FileProfileStore store = new FileProfileStore(home);
        store.endRun("k", Map.of(new LearnedSyscall("x86_64", "read"), EnumSet.of(Phase.RUN)), false);
        LearningHandler handler = new LearningHandler(store, config(60));
        Recorder recorder = new Recorder();
        handler.addListener(recorder);
        SupervisedTree tree = new FakeTree("t1", 42, Map.of(KeyResolver.LEARN_KEY, "k"));
        handler.treeStarted(tree);
        FakeContext init = FakeContext.init();
        FakeContext run = FakeContext.run();
        assertEquals(Decision.allow(), handler.handle(FakeEvent.of(tree, "read", 0), run));
        assertEquals(Decision.allow(), handler.handle(FakeEvent.of(tree, "execve", 59), init));
        // SOCK_STREAM|SOCK_NONBLOCK|SOCK_CLOEXEC: the flags are masked off
        handler.handle(FakeEvent.of(tree, "socket", 41, 2, 1 | 0x800 | 0x80000, 0), run);
        handler.handle(FakeEvent.of(tree, "socket", 41, 2, 1, 0), run);
        // CLONE_NEWNET | CLONE_VM | SIGCHLD: only the namespace bit is kept
        handler.handle(FakeEvent.of(tree, "clone", 56, 0x40000000L | 0x100 | 17), run);
        handler.handle(FakeEvent.of(tree, "ioctl", 16, 1, 0x5401), run);
        handler.handle(FakeEvent.of(tree, "write", 1), run);
        handler.treeEnded(tree);
        assertTrue(recorder.ended.await(30, TimeUnit.SECONDS));
        handler.deactivate();

        assertEquals("started k 1", recorder.events.get(0));
        assertTrue(recorder.events.contains("learned execve/x86_64"));
        assertTrue(recorder.events.contains("learned socket/x86_64 [arg0 == 0x2, arg1 & 0xf == 0x1]"));
        assertTrue(recorder.events.stream().noneMatch(e -> e.equals("learned read/x86_64")), "read was known");
        assertEquals(6, recorder.events.size(), recorder.events.toString());

        LearnedProfile stored = store.load("k").orElseThrow();
        assertEquals(2, stored.runs());
        assertEquals(EnumSet.of(Phase.INIT), stored.syscalls().get(new LearnedSyscall("x86_64", "execve")));
        assertTrue(stored.syscalls().containsKey(new LearnedSyscall("x86_64", "clone",
                List.of(ArgMatch.maskedEq(0, ArgRecorder.CLONE_NAMESPACES, 0x40000000L)))));
        assertTrue(stored.syscalls().containsKey(new LearnedSyscall("x86_64", "ioctl", List.of(ArgMatch.eq(1, 0x5401)))));
        assertEquals(6, stored.syscalls().size());
    }

    @Test
    void aRefusedProfileStopsOnlyThatTreesLearningAndNothingIsWrittenThroughIt() throws Exception {
        FileProfileStore store = new FileProfileStore(home);
        store.endRun("good", Map.of(new LearnedSyscall("x86_64", "read"), EnumSet.of(Phase.RUN)), false);
        String profile = Files.readString(store.fileOf("good"));
        Path outside = Files.writeString(home.resolve("outside.json"), profile);
        Files.createSymbolicLink(store.fileOf("evil"), outside); // planted where the key's profile goes
        LearningHandler handler = new LearningHandler(store, config(60));
        Recorder recorder = new Recorder();
        handler.addListener(recorder);
        SupervisedTree evil = new FakeTree("t5", 46, Map.of(KeyResolver.LEARN_KEY, "evil"));
        SupervisedTree good = new FakeTree("t6", 47, Map.of(KeyResolver.LEARN_KEY, "good"));
        handler.treeStarted(evil);
        handler.treeStarted(good);
        FakeContext run = FakeContext.run();
        assertEquals(Decision.allow(), handler.handle(FakeEvent.of(evil, "write", 1), run), "the target runs on");
        handler.handle(FakeEvent.of(good, "write", 1), run);
        handler.treeEnded(evil);
        handler.treeEnded(good);
        assertTrue(recorder.ended.await(30, TimeUnit.SECONDS));
        handler.deactivate();

        assertEquals(List.of("started good 1", "learned write/x86_64"), recorder.events);
        assertEquals(2, store.load("good").orElseThrow().syscalls().size());
        assertTrue(Files.isSymbolicLink(store.fileOf("evil")));
        assertEquals(profile, Files.readString(outside));
    }

    @Test
    void theAlwaysAllowedBaseIsStoredForTheAbisTheRunUsedInBothPhases() throws Exception {
        FileProfileStore store = new FileProfileStore(home);
        LearningHandler handler = new LearningHandler(store, config(60));
        Recorder recorder = new Recorder();
        handler.addListener(recorder);
        SupervisedTree tree = new FakeTree("t4", 45, Map.of(KeyResolver.LEARN_KEY, "b",
                org.attenuator.plugin.learning.Learning.BASE_PROPERTY, "read, write"));
        handler.treeStarted(tree);
        handler.handle(FakeEvent.of(tree, "openat", 257), FakeContext.init());
        handler.treeEnded(tree);
        assertTrue(recorder.ended.await(30, TimeUnit.SECONDS));
        handler.deactivate();
        LearnedProfile stored = store.load("b").orElseThrow();
        assertTrue(stored.syscalls().get(new LearnedSyscall("x86_64", "read")).contains(Phase.RUN), "not init-only");
        assertTrue(stored.syscalls().get(new LearnedSyscall("x86_64", "write")).contains(Phase.RUN), "not init-only");
        assertEquals(3, stored.syscalls().size());
        assertTrue(recorder.events.stream().noneMatch(e -> e.contains("read")), "the base is not announced: " + recorder.events);
    }

    @Test
    void aContainerTemplatesBaseFromTheListenerMetadataIsStoredToo() throws Exception {
        FileProfileStore store = new FileProfileStore(home);
        LearningHandler handler = new LearningHandler(store, config(60));
        Recorder recorder = new Recorder();
        handler.addListener(recorder);
        SupervisedTree tree = new FakeTree("t5", 46, Map.of(KeyResolver.METADATA, "c",
                SupervisedTree.METADATA_PREFIX + org.attenuator.plugin.learning.LearningTemplate.BASE_METADATA, "openat,write"));
        handler.treeStarted(tree);
        handler.handle(FakeEvent.of(tree, "mkdir", 83), FakeContext.run());
        handler.treeEnded(tree);
        assertTrue(recorder.ended.await(30, TimeUnit.SECONDS));
        handler.deactivate();
        LearnedProfile stored = store.load("c").orElseThrow();
        assertEquals(java.util.Set.of("mkdir", "openat", "write"),
                stored.syscalls().keySet().stream().map(LearnedSyscall::name).collect(java.util.stream.Collectors.toSet()));
    }

    @Test
    void defaultKeyIsTheExecutableAndItsHash() throws Exception {
        Path exe = Files.writeString(home.resolve("prog"), "abc");
        SupervisedTree tree = new FakeTree("t2", 43,
                Map.of(KeyResolver.METADATA, "", SupervisedTree.EXECUTABLE, exe.toString()));
        assertEquals(exe + "@sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
                KeyResolver.resolve(tree));
        SupervisedTree oci = new FakeTree("t3", 44, Map.of(KeyResolver.ANNOTATION, "web", KeyResolver.METADATA, "x"));
        assertEquals("web", KeyResolver.resolve(oci));
    }
}
