package org.attenuator.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.attenuator.linux.TestSupport.SYS_GETPPID;

import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.attenuator.linux.internal.Native;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * seccomp from Java. Filters go on throwaway threads only: a filter sticks to its thread, and
 * the thread ends with the test.
 */
class SeccompTest {
    interface ThreadBody {
        void run() throws Exception;
    }

    /** Runs body on a new thread and waits for it; rethrows its failure. */
    private static void onThrowawayThread(ThreadBody body) throws Exception {
        CompletableFuture<Void> done = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                body.run();
                done.complete(null);
            } catch (Throwable e) {
                done.completeExceptionally(e);
            }
        }, "seccomp-test");
        t.start();
        try {
            done.get(20, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            throw (Exception) e.getCause();
        }
    }

    @Test
    void notifSizes() throws Exception {
        Seccomp.NotifSizes s = Seccomp.notifSizes();
        assertTrue(s.notif() >= 80, "seccomp_notif " + s.notif());
        assertTrue(s.resp() >= 24, "seccomp_notif_resp " + s.resp());
        assertEquals(64, s.data(), "seccomp_data");
    }

    @Test
    void actionAvailability() throws Exception {
        for (int action : new int[] {Seccomp.RET_KILL_PROCESS, Seccomp.RET_KILL_THREAD, Seccomp.RET_TRAP,
                Seccomp.RET_ERRNO, Seccomp.RET_USER_NOTIF, Seccomp.RET_TRACE, Seccomp.RET_LOG, Seccomp.RET_ALLOW}) {
            assertTrue(Seccomp.isActionAvailable(action), Integer.toHexString(action));
        }
        assertFalse(Seccomp.isActionAvailable(0x7ff10000), "an undefined action");
    }

    @Test
    void noNewPrivsIsPerThread() throws Exception {
        assertFalse(Seccomp.noNewPrivs(), "the test thread has not set it");
        onThrowawayThread(() -> {
            Seccomp.setNoNewPrivs();
            assertTrue(Seccomp.noNewPrivs());
        });
        assertFalse(Seccomp.noNewPrivs());
        assertTrue(Seccomp.hasCapSysAdmin(), "these tests run as root");
    }

    @Test
    void filterFlagsAndErrors() throws Exception {
        onThrowawayThread(() -> {
            Seccomp.setNoNewPrivs();
            assertEquals(0, Seccomp.installFilter(TestSupport.Bpf.allowAll(),
                    Seccomp.FILTER_FLAG_LOG | Seccomp.FILTER_FLAG_SPEC_ALLOW));
            try (NotifyListener l = Seccomp.installFilterWithListener(TestSupport.Bpf.allowAll(),
                    Seccomp.FILTER_FLAG_WAIT_KILLABLE_RECV)) {
                assertTrue(l.isCloseOnExec(), "the kernel creates listeners close-on-exec");
                // One listener per filter chain.
                NativeException busy = assertThrows(NativeException.class,
                        () -> Seccomp.installFilterWithListener(TestSupport.Bpf.allowAll(), 0));
                assertEquals(Errno.EBUSY, busy.errno());
            }
            byte[] invalid = new TestSupport.Bpf().insn(0xffff, 0, 0, 0).bytes();
            NativeException e = assertThrows(NativeException.class, () -> Seccomp.installFilter(invalid, 0));
            assertEquals("seccomp(SECCOMP_SET_MODE_FILTER, 0x0): Invalid argument (EINVAL)", e.getMessage());
        });
    }

    /** A listener for a filter on one JVM thread, answered from the test thread. */
    @Test
    @Timeout(30)
    void listenerInThisJvm() throws Exception {
        CompletableFuture<NotifyListener> listener = new CompletableFuture<>();
        BlockingQueue<long[]> results = new LinkedBlockingQueue<>();
        Thread target = new Thread(() -> {
            try {
                Seccomp.setNoNewPrivs();
                listener.complete(Seccomp.installFilterWithListener(TestSupport.Bpf.notifyOn(SYS_GETPPID), 0));
                for (int i = 0; i < 3; i++) {
                    long r = Native.LIBC.syscall(SYS_GETPPID, 0, 0, 0, 0, 0, 0);
                    results.add(new long[] {r, Native.errno()});
                }
            } catch (Throwable e) {
                listener.completeExceptionally(e);
            }
        }, "seccomp-target");
        target.start();
        try (NotifyListener l = listener.get(10, TimeUnit.SECONDS); Epoll epoll = Epoll.create()) {
            epoll.add(l, Epoll.IN, 1);
            Epoll.Events events = new Epoll.Events(1);
            Notification n = new Notification();

            TestSupport.awaitEvents(epoll, events, Duration.ofSeconds(30));
            l.receive(n);
            assertEquals(SYS_GETPPID, n.nr());
            assertEquals(Seccomp.nativeAuditArch(), n.arch());
            assertTrue(java.nio.file.Files.exists(java.nio.file.Path.of("/proc/self/task/" + n.pid())), "a thread of ours");
            assertTrue(l.isIdValid(n.id()));
            l.sendValue(n.id(), 4242);
            assertEquals(4242, results.poll(10, TimeUnit.SECONDS)[0]);
            assertFalse(l.isIdValid(n.id()), "answered");
            NativeException twice = assertThrows(NativeException.class, () -> l.sendValue(n.id(), 1));
            assertTrue(twice.isTargetGone(), "an answered id is gone");

            TestSupport.awaitEvents(epoll, events, Duration.ofSeconds(30));
            l.receive(n);
            l.sendContinue(n.id());
            assertEquals(ProcessHandle.current().parent().orElseThrow().pid(), results.poll(10, TimeUnit.SECONDS)[0]);

            TestSupport.awaitEvents(epoll, events, Duration.ofSeconds(30));
            l.receive(n);
            l.sendError(n.id(), Errno.EPERM);
            long[] r = results.poll(10, TimeUnit.SECONDS);
            assertEquals(-1, r[0]);
            assertEquals(Errno.EPERM, r[1]);

            target.join(10_000);
            // The thread is gone: the listener reports HUP and RECV says the target is gone.
            assertTrue((TestSupport.awaitEvents(epoll, events, Duration.ofSeconds(30)) & Epoll.HUP) != 0);
            NotificationGoneException gone = assertThrows(NotificationGoneException.class, () -> l.receive(n));
            assertEquals("ioctl(SECCOMP_IOCTL_NOTIF_RECV): No such file or directory (ENOENT)", gone.getMessage());
            l.close();
            NativeException closed = assertThrows(NativeException.class, () -> l.receive(n));
            assertEquals(Errno.EBADF, closed.errno());
            assertEquals("ioctl(SECCOMP_IOCTL_NOTIF_RECV)", closed.syscall());
        }
    }
}
