package org.attenuator.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.attenuator.linux.ChildProcess;
import org.attenuator.linux.Epoll;
import org.attenuator.linux.EventFd;
import org.attenuator.linux.ExitStatus;
import org.attenuator.linux.Fd;
import org.attenuator.linux.Memfd;
import org.attenuator.linux.NativeException;
import org.attenuator.linux.Notification;
import org.attenuator.linux.NotifyListener;
import org.attenuator.linux.Pidfd;
import org.attenuator.linux.Seccomp;
import org.attenuator.linux.NotificationGoneException;
import org.attenuator.linux.UnixSocket;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

/**
 * The Linux bindings used from inside the OSGi framework (jnr-ffi proxies generated in bundle
 * class loaders), against the real kernel and real processes.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class LinuxBindingsIT {

    private static final int SYS_GETPPID = 110;
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @Configuration
    public Option[] configuration() {
        return new Option[] {FelixOptions.framework()};
    }

    @Test
    public void socketPairCarriesAMemfdWithScmRights() throws Exception {
        UnixSocket[] pair = UnixSocket.pair();
        try (UnixSocket a = pair[0]; UnixSocket b = pair[1]; Fd memfd = Memfd.create("itest", Memfd.CLOEXEC)) {
            memfd.writeFully("sealed in a memfd".getBytes(StandardCharsets.UTF_8));
            a.sendFully("x".getBytes(StandardCharsets.UTF_8), memfd);
            List<Fd> received = new ArrayList<>();
            byte[] buf = new byte[8];
            assertEquals(1, b.receive(buf, 0, buf.length, received));
            assertEquals(1, received.size());
            try (Fd copy = received.get(0)) {
                assertTrue("received fds are close-on-exec", copy.isCloseOnExec());
                ByteBuffer contents = ByteBuffer.allocate(64);
                copy.pread(contents, 0);
                assertEquals("sealed in a memfd", new String(contents.array(), 0, contents.position(), StandardCharsets.UTF_8));
            }
        }
    }

    @Test
    public void eventFdWakesEpoll() throws Exception {
        try (Epoll epoll = Epoll.create(); EventFd wake = EventFd.create(0, EventFd.NONBLOCK)) {
            epoll.add(wake, Epoll.IN, 77);
            Epoll.Events events = new Epoll.Events(4);
            assertEquals("nothing ready yet", 0, epoll.wait(events, 0));
            wake.signal(3);
            assertEquals(1, epoll.wait(events, 1000));
            assertEquals(77, events.cookie(0));
            assertEquals(3, wake.drain());
        }
    }

    @Test
    public void memfdSealsStick() throws Exception {
        try (Fd memfd = Memfd.create("itest-seal", Memfd.CLOEXEC | Memfd.ALLOW_SEALING)) {
            memfd.writeFully(new byte[] {1, 2, 3});
            Memfd.addSeals(memfd, Memfd.SEAL_WRITE | Memfd.SEAL_SEAL);
            assertEquals(Memfd.SEAL_WRITE | Memfd.SEAL_SEAL, Memfd.seals(memfd) & (Memfd.SEAL_WRITE | Memfd.SEAL_SEAL));
            NativeException denied = assertThrows(NativeException.class, () -> memfd.writeFully(new byte[] {4}));
            assertEquals("EPERM", denied.errnoName());
        }
    }

    @Test
    public void pidfdSignalsAChildAndWaitidSeesIt() throws Exception {
        try (ChildProcess child = ChildProcess.spawn(List.of("sleep", "30"), Map.of("PATH", "/usr/bin:/bin"), null, null, null);
                Pidfd pidfd = Pidfd.open(child.pid())) {
            assertEquals(child.pid(), pidfd.pid());
            pidfd.sendSignal(ChildProcess.SIGKILL);
            ExitStatus status = child.waitFor();
            assertFalse(status.exited());
            assertEquals(ChildProcess.SIGKILL, status.signal());
            assertEquals(128 + 9, status.shellStatus());
        }
    }

    @Test
    public void notificationSizesComeFromTheKernel() throws Exception {
        Seccomp.NotifSizes sizes = Seccomp.notifSizes();
        assertTrue(sizes.notif() >= 80);
        assertTrue(sizes.resp() >= 24);
        assertEquals(64, sizes.data());
    }

    @Test
    public void aClosedFdNamesTheSyscallAndEbadf() throws Exception {
        EventFd closed = EventFd.create(0, 0);
        closed.close();
        NativeException e = assertThrows(NativeException.class, () -> closed.signal(1));
        assertEquals("EBADF", e.errnoName());
        assertTrue(e.getMessage(), e.getMessage().startsWith(e.syscall() + ": "));
        assertTrue(e.getMessage(), e.getMessage().endsWith("(EBADF)"));
    }

    /**
     * A real listener from the C helper over the OCI agent protocol: getppid is answered with a
     * value the target prints, then RECV after the target exited is ENOENT.
     */
    @Test
    public void realListenerIsAnsweredWithRecvAndSend() throws Exception {
        Path dir = Files.createTempDirectory("attenuator-itest");
        String socketPath = dir.resolve("agent.sock").toString();
        try (UnixSocket server = UnixSocket.listen(socketPath, 4);
                Fd output = Memfd.create("itest-out", Memfd.CLOEXEC)) {
            String helper = FelixOptions.nativeDir().toPath().resolve("attenuator-testhelper").toString();
            try (ChildProcess target = ChildProcess.spawn(
                    List.of(helper, "--notify", String.valueOf(SYS_GETPPID), "--socket", socketPath, "--metadata", "itest=1",
                            "--", "/bin/sh", "-c", "echo ppid=$PPID"),
                    Map.of("PATH", "/usr/bin:/bin"), null, output, null)) {
                try (NotifyListener listener = acceptListener(server)) {
                    Notification notification = new Notification();
                    listener.receive(notification);
                    assertEquals(SYS_GETPPID, notification.nr());
                    assertTrue(listener.isIdValid(notification.id()));
                    listener.sendValue(notification.id(), 4242);
                    assertEquals(0, target.waitFor().shellStatus());
                    assertEquals("ppid=4242\n", readAll(output));
                    assertThrows(NotificationGoneException.class, () -> listener.receive(notification));
                }
            }
        } finally {
            Files.deleteIfExists(dir.resolve("agent.sock"));
            Files.deleteIfExists(dir);
        }
    }

    private static NotifyListener acceptListener(UnixSocket server) throws NativeException {
        try (UnixSocket connection = server.accept()) {
            connection.setReceiveTimeout(TIMEOUT);
            ByteArrayOutputStream json = new ByteArrayOutputStream();
            List<Fd> fds = new ArrayList<>();
            byte[] buf = new byte[4096];
            int n;
            while ((n = connection.receive(buf, 0, buf.length, fds)) > 0) {
                json.write(buf, 0, n);
            }
            String message = json.toString(StandardCharsets.UTF_8);
            assertTrue(message, message.contains("\"fds\":[\"seccompFd\"]"));
            assertTrue(message, message.contains("\"metadata\":\"itest=1\""));
            assertEquals(1, fds.size());
            return NotifyListener.adopt(fds.get(0));
        }
    }

    private static String readAll(Fd memfd) throws NativeException {
        ByteBuffer buf = ByteBuffer.allocate(4096);
        while (memfd.pread(buf, buf.position()) > 0) {
            // pread does not move the file offset: read on from what we have
        }
        byte[] bytes = new byte[buf.position()];
        buf.flip().get(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
