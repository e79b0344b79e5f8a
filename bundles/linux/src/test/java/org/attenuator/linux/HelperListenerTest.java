package org.attenuator.linux;

import static org.attenuator.linux.TestSupport.SYS_GETPPID;
import static org.attenuator.linux.TestSupport.SYS_MKDIR;
import static org.attenuator.linux.TestSupport.SYS_OPENAT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.attenuator.testsupport.NativeDir;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real listeners from attenuator-testhelper, received over a unix socket with the OCI seccomp
 * agent protocol, answered while the helper's target (a shell) makes the notified syscalls.
 */
@Timeout(60)
class HelperListenerTest {
    @TempDir
    Path dir;
    private UnixSocket server;
    private String socketPath;
    private final List<AutoCloseable> toClose = new ArrayList<>();

    @BeforeEach
    void listen() throws Exception {
        socketPath = dir.resolve("agent.sock").toString();
        server = UnixSocket.listen(socketPath, 4);
        server.setReceiveTimeout(Duration.ofSeconds(30)); // accept gives up instead of hanging
    }

    @AfterEach
    void closeAll() throws Exception {
        for (int i = toClose.size() - 1; i >= 0; i--) {
            toClose.get(i).close();
        }
        server.close();
    }

    private <T extends AutoCloseable> T closeLater(T c) {
        toClose.add(c);
        return c;
    }

    /** A target under the helper, its captured stdout+stderr, and the listener it sent. */
    private record Target(ChildProcess process, Fd output, NotifyListener listener, TestSupport.AgentMessage message) {}

    private Target start(String notify, String script) throws Exception {
        Fd out = closeLater(Memfd.create("target-output", Memfd.CLOEXEC));
        ChildProcess p = closeLater(ChildProcess.spawn(List.of(NativeDir.testhelper().toString(), "--notify", notify,
                "--socket", socketPath, "--metadata", "test=\"quoted\"", "--", "sh", "-c", script),
                System.getenv(), null, out, out));
        TestSupport.AgentMessage m = TestSupport.acceptAgentMessage(server);
        assertEquals(1, m.fds().size(), m.json());
        NotifyListener l = closeLater(NotifyListener.adopt(m.fds().get(0)));
        return new Target(p, out, l, m);
    }

    @Test
    void agentProtocolMessage() throws Exception {
        Target t = start(String.valueOf(SYS_GETPPID), "echo $PPID");
        assertEquals(t.process().pid(), t.message().pid(), "the filter's owner is the helper, now the shell");
        assertEquals(t.process().pid(), t.message().peer().pid());
        assertEquals("test=\\\"quoted\\\"", t.message().metadata(), "metadata is JSON-escaped");
        assertTrue(t.message().json().contains("\"fds\":[\"seccompFd\"]"), t.message().json());
        assertTrue(t.message().json().contains("\"status\":\"running\""), t.message().json());
        assertTrue(t.listener().isCloseOnExec(), "received with MSG_CMSG_CLOEXEC");
        // The helper closed its own copy: once we answer, nothing else holds the listener.
        Notification n = new Notification();
        t.listener().receive(n);
        t.listener().sendContinue(n.id());
        assertEquals(0, t.process().waitFor().exitCode());
        assertEquals(ProcessHandle.current().pid() + "\n", TestSupport.contents(t.output()));
    }

    /** getppid answered with a value, mkdir with an errno after reading its path. */
    @Test
    void answerWithValueAndErrnoAndReadTheTargetsMemory() throws Exception {
        Path victim = dir.resolve("not-created");
        Target t = start(SYS_GETPPID + "," + SYS_MKDIR,
                "echo ppid=$PPID; mkdir " + victim + " && echo made || echo refused");
        NotifyListener l = t.listener();
        l.setFlags(NotifyListener.USER_NOTIF_FD_SYNC_WAKE_UP);
        NativeException badFlags = assertThrows(NativeException.class, () -> l.setFlags(0x100));
        assertEquals("ioctl(SECCOMP_IOCTL_NOTIF_SET_FLAGS): Invalid argument (EINVAL)", badFlags.getMessage());

        String[] seenPath = new String[2];
        serve(t, n -> {
            if (n.nr() == SYS_GETPPID) {
                l.sendValue(n.id(), 4242);
            } else if (n.nr() == SYS_MKDIR) {
                // Read the path while the call is pending, both ways, then check the id.
                seenPath[0] = ProcessMemory.readCString(n.pid(), n.arg(0), 4096);
                try (Fd mem = Fd.open("/proc/" + n.pid() + "/mem", Fd.O_RDONLY)) {
                    ByteBuffer buf = ByteBuffer.allocate(victim.toString().length());
                    mem.pread(buf, n.arg(0));
                    seenPath[1] = new String(buf.array(), StandardCharsets.UTF_8);
                }
                assertTrue(l.isIdValid(n.id()), "still pending after the reads");
                l.sendError(n.id(), Errno.EPERM);
            } else {
                fail("unexpected " + n);
            }
        });
        assertEquals(0, t.process().waitFor().exitCode());
        String out = TestSupport.contents(t.output());
        assertTrue(out.startsWith("ppid=4242\n"), out);
        assertTrue(out.contains("Operation not permitted"), out);
        assertTrue(out.endsWith("refused\n"), out);
        assertEquals(victim.toString(), seenPath[0]);
        assertEquals(victim.toString(), seenPath[1]);
        assertFalse(Files.exists(victim));
    }

    @Test
    void continueRunsTheSyscallForReal() throws Exception {
        Path made = dir.resolve("made");
        Target t = start(String.valueOf(SYS_MKDIR), "mkdir " + made + " && echo made");
        serve(t, n -> t.listener().sendContinue(n.id()));
        assertEquals(0, t.process().waitFor().exitCode());
        assertEquals("made\n", TestSupport.contents(t.output()));
        assertTrue(Files.isDirectory(made));
    }

    /** openat of a magic path is emulated: ADDFD puts our memfd into the target. */
    @Test
    void addFdEmulatesAnOpen() throws Exception {
        String magic = "/attenuator/magic-file";
        Fd written = closeLater(Memfd.create("content", Memfd.CLOEXEC));
        written.writeFully("hello from the supervisor\n".getBytes());
        // A new open file description, so the target reads from offset 0.
        Fd content = closeLater(Fd.open("/proc/self/fd/" + written.intValue(), Fd.O_RDONLY));
        Target t = start(String.valueOf(SYS_OPENAT), "cat " + magic);
        int[] added = {-1};
        serve(t, n -> {
            String path = ProcessMemory.readCString(n.pid(), n.arg(1), 4096);
            if (!t.listener().isIdValid(n.id())) {
                return;
            }
            if (path.equals(magic)) {
                added[0] = t.listener().addFd(n.id(), content, 0, Fd.O_CLOEXEC, 0);
                t.listener().sendValue(n.id(), added[0]);
            } else {
                t.listener().sendContinue(n.id());
            }
        });
        assertEquals(0, t.process().waitFor().exitCode(), TestSupport.contents(t.output()));
        assertEquals("hello from the supervisor\n", TestSupport.contents(t.output()));
        assertTrue(added[0] >= 3, "fd number in the target: " + added[0]);
    }

    @Test
    void targetGoneAfterItWasKilled() throws Exception {
        Target t = start(String.valueOf(SYS_GETPPID), "echo $PPID");
        NotifyListener l = t.listener();
        Notification n = new Notification();
        l.receive(n); // the shell waits in getppid
        assertTrue(l.isIdValid(n.id()));
        t.process().signal(ChildProcess.SIGKILL);
        assertEquals(ChildProcess.SIGKILL, t.process().waitFor().signal());
        assertFalse(l.isIdValid(n.id()));
        NotificationGoneException send = assertThrows(NotificationGoneException.class, () -> l.sendContinue(n.id()));
        assertEquals("ioctl(SECCOMP_IOCTL_NOTIF_SEND)", send.syscall());
        try (Fd src = Memfd.create("x", Memfd.CLOEXEC)) {
            assertThrows(NotificationGoneException.class, () -> l.addFd(n.id(), src, 0, 0, 0));
        }
        NotificationGoneException recv = assertThrows(NotificationGoneException.class, () -> l.receive(n));
        assertEquals("ioctl(SECCOMP_IOCTL_NOTIF_RECV): No such file or directory (ENOENT)", recv.getMessage());
    }

    @Test
    void pidfdGetfdOfAListenerCopy() throws Exception {
        // The helper's target is a shell that holds no listener; take one from our own process.
        Target t = start(String.valueOf(SYS_GETPPID), "echo $PPID");
        try (Pidfd self = Pidfd.open((int) ProcessHandle.current().pid());
             NotifyListener copy = NotifyListener.adopt(self.getFd(t.listener().intValue()))) {
            Notification n = new Notification();
            copy.receive(n);
            assertTrue(t.listener().isIdValid(n.id()), "the copy and the original are one listener");
            t.listener().sendContinue(n.id());
        }
        assertEquals(0, t.process().waitFor().exitCode());
    }

    @Test
    void probeThroughTheHelper() {
        KernelFeatures k = KernelFeatures.probe(Optional.of(NativeDir.testhelper()));
        assertEquals("x86_64", k.arch());
        assertTrue(k.capSysAdmin());
        assertTrue(k.noNewPrivs());
        for (String f : KernelFeatures.HELPER_FEATURES) {
            assertTrue(k.isAvailable(f), f + ": " + k.cause(f));
        }
        for (String f : List.of("action_user_notif", "action_log", "notif_sizes", "pidfd_open", "memfd_create",
                "process_vm_readv", "epoll")) {
            assertTrue(k.isAvailable(f), f + ": " + k.cause(f));
        }
        KernelFeatures without = KernelFeatures.probe(Optional.empty());
        assertFalse(without.isAvailable("user_notif"));
        assertTrue(without.cause("user_notif").contains("attenuator-testhelper"));
        List<KernelFeatures.Feature> parsed = KernelFeatures.parseProbeOutput("addfd no NOTIF_ADDFD: Invalid argument\njunk\n");
        assertEquals(List.of(new KernelFeatures.Feature("addfd", false, "NOTIF_ADDFD: Invalid argument")), parsed);
    }

    interface Handler {
        void handle(Notification n) throws Exception;
    }

    /** Answers notifications until the target's filter has no tasks left (HUP). */
    private static void serve(Target t, Handler handler) throws Exception {
        try (Epoll epoll = Epoll.create()) {
            epoll.add(t.listener(), Epoll.IN, 1);
            Epoll.Events events = new Epoll.Events(1);
            Notification n = new Notification();
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (System.nanoTime() < deadline) {
                if (epoll.wait(events, 200) == 0) {
                    continue;
                }
                if ((events.events(0) & Epoll.IN) != 0) {
                    try {
                        t.listener().receive(n);
                        handler.handle(n);
                    } catch (NativeException e) {
                        if (!e.isTargetGone()) {
                            throw e;
                        }
                    }
                } else if ((events.events(0) & Epoll.HUP) != 0) {
                    return;
                }
            }
            fail("the target did not finish in time");
        }
    }

    /**
     * A RECV with nothing pending blocks; the JDK's interrupt signal ends it with EINTR (what the
     * supervisor's event loops rely on), and from Linux 6.11 the exit of the filter's last task
     * ends it with NotificationGoneException. hungUp() tells a finished tree from a live one.
     */
    @Test
    void blockedReceiveEndsAtTheInterruptSignalAndWhenTheTargetExits() throws Exception {
        ThreadInterrupter interrupter = ThreadInterrupter.ofJdk()
                .orElseThrow(() -> new AssertionError("no handler for the JDK's interrupt signal " + ThreadInterrupter.SIGNAL));
        Target t = start(String.valueOf(SYS_MKDIR), "sleep 2"); // never calls mkdir
        NotifyListener l = t.listener();
        assertFalse(l.hungUp(), "the target is alive");
        CompletableFuture<Integer> threadId = new CompletableFuture<>();
        CompletableFuture<String> interrupted = new CompletableFuture<>();
        CompletableFuture<String> afterExit = new CompletableFuture<>();
        Thread receiver = new Thread(() -> {
            threadId.complete(ThreadInterrupter.currentThreadId());
            interrupted.complete(receiveOutcome(l));
            afterExit.complete(receiveOutcome(l));
        }, "blocked-receive");
        receiver.start();
        int tid = threadId.get();
        String first = null;
        while (first == null) { // a signal that lands before the thread is in the ioctl wakes nothing
            interrupter.interrupt(tid);
            try {
                first = interrupted.get(20, TimeUnit.MILLISECONDS);
            } catch (TimeoutException notYet) {
                // signal again
            }
        }
        assertEquals("EINTR", first);
        assertEquals(0, t.process().waitFor().exitCode());
        assertTrue(l.hungUp(), "every task of the filter is gone");
        Assumptions.assumeTrue(kernelAtLeast(6, 11), "a blocked RECV ends at hangup from Linux 6.11 on");
        assertEquals("gone", afterExit.get(10, TimeUnit.SECONDS));
    }

    private static boolean kernelAtLeast(int major, int minor) {
        String[] release = System.getProperty("os.version").split("[.-]");
        int ma = Integer.parseInt(release[0]), mi = Integer.parseInt(release[1]);
        return ma > major || ma == major && mi >= minor;
    }

    private static String receiveOutcome(NotifyListener l) {
        try {
            l.receive(new Notification());
            return "received";
        } catch (NotificationGoneException e) {
            return "gone";
        } catch (NativeException e) {
            return Errno.name(e.errno());
        }
    }
}
