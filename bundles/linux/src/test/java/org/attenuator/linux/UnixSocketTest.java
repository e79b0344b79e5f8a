package org.attenuator.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UnixSocketTest {
    @Test
    void scmRightsRoundTripOfSeveralMemfds() throws Exception {
        UnixSocket[] pair = UnixSocket.pair();
        try (UnixSocket a = pair[0]; UnixSocket b = pair[1];
             Fd one = Memfd.create("one", Memfd.CLOEXEC); Fd two = Memfd.create("two", Memfd.CLOEXEC)) {
            one.writeFully("first memfd".getBytes());
            two.writeFully("second memfd".getBytes());
            assertEquals(5, a.send("hello".getBytes(), 0, 5, one, two));
            List<Fd> got = new ArrayList<>();
            byte[] buf = new byte[16];
            assertEquals(5, b.receive(buf, 0, buf.length, got));
            assertEquals("hello", new String(buf, 0, 5));
            assertEquals(2, got.size());
            try (Fd r1 = got.get(0); Fd r2 = got.get(1)) {
                assertNotEquals(one.intValue(), r1.intValue());
                assertTrue(r1.isCloseOnExec(), "MSG_CMSG_CLOEXEC");
                assertTrue(r2.isCloseOnExec(), "MSG_CMSG_CLOEXEC");
                assertEquals("first memfd", TestSupport.contents(r1));
                assertEquals("second memfd", TestSupport.contents(r2));
            }
            a.close();
            assertEquals(0, b.receive(buf, 0, buf.length, got), "EOF after the peer closed");
        }
    }

    /** 107 bytes is the most sun_path holds (with its NUL); one more is refused naming path and limit. */
    @Test
    void aPathLongerThanASocketAddressHoldsIsRefusedBeforeAnySocketIsMade(@TempDir Path dir) throws Exception {
        String base = dir.toString() + "/";
        String fits = base + "s".repeat(107 - base.length());
        String over = fits + "s";
        UnixSocket.checkPath(fits);
        try (UnixSocket server = UnixSocket.listen(fits, 1)) {
            assertTrue(Files.exists(Path.of(fits)), "a 107-byte path binds");
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> UnixSocket.listen(over, 1));
        assertEquals("socket path " + over + " is 108 bytes, longer than the 107 a Unix socket address holds", e.getMessage());
        assertTrue(Files.notExists(Path.of(over)));
        assertEquals("socket path is empty", assertThrows(IllegalArgumentException.class, () -> UnixSocket.checkPath("")).getMessage());
    }

    @Test
    void listenConnectAcceptPeerCredentialsAndChmod(@TempDir Path dir) throws Exception {
        String path = dir.resolve("agent.sock").toString();
        try (UnixSocket server = UnixSocket.listen(path, 4)) {
            Fd.chmod(path, 0600);
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(Path.of(path))));
            server.setReceiveTimeout(Duration.ofSeconds(5));
            try (UnixSocket client = UnixSocket.connect(path); UnixSocket conn = server.accept()) {
                UnixSocket.PeerCredentials cred = conn.peerCredentials();
                assertEquals(ProcessHandle.current().pid(), cred.pid());
                assertEquals(0, cred.uid());
                client.sendFully("ping".getBytes());
                byte[] buf = new byte[8];
                List<Fd> fds = new ArrayList<>();
                assertEquals(4, conn.receive(buf, 0, buf.length, fds));
                assertTrue(fds.isEmpty());
                client.chmod(0700); // fchmod on a socket fd succeeds (it does not reach the file)
            }
            NativeException e = assertThrows(NativeException.class, () -> UnixSocket.listen(path, 1));
            assertEquals("bind(" + path + "): Address already in use (EADDRINUSE)", e.getMessage());
        }
        NativeException e = assertThrows(NativeException.class, () -> UnixSocket.connect(dir.resolve("none").toString()));
        assertEquals(Errno.ENOENT, e.errno());
    }

    @Test
    void receiveTimeoutIsEagain() throws Exception {
        UnixSocket[] pair = UnixSocket.pair();
        try (UnixSocket a = pair[0]; UnixSocket b = pair[1]) {
            b.setReceiveTimeout(Duration.ofMillis(50));
            long start = System.nanoTime();
            NativeException e = assertThrows(NativeException.class, () -> b.receive(new byte[1], 0, 1, new ArrayList<>()));
            assertEquals("recvmsg", e.syscall());
            assertEquals(Errno.EAGAIN, e.errno());
            assertTrue(System.nanoTime() - start >= 40_000_000L, "waited for the timeout");
        }
    }

    @Test
    void sendOnAClosedSocketIsEbadf() throws Exception {
        UnixSocket[] pair = UnixSocket.pair();
        pair[0].close();
        pair[1].close();
        NativeException e = assertThrows(NativeException.class, () -> pair[0].send(new byte[1], 0, 1));
        assertEquals("sendmsg: Bad file descriptor (EBADF)", e.getMessage());
    }

    /**
     * One thread receives on a socket while two others send on it, each line with an fd: every
     * byte and every fd arrives where it was sent (a shared native buffer mixed the directions: a
     * receive returned the sender's bytes and adopted the sender's fd numbers).
     */
    @Test
    void receivingWhileOtherThreadsSendMixesNothing() throws Exception {
        int lines = 3000;
        UnixSocket[] pair = UnixSocket.pair();
        try (UnixSocket a = pair[0]; UnixSocket b = pair[1]; Fd memfd = Memfd.create("passed", Memfd.CLOEXEC)) {
            java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4);
            java.util.concurrent.Future<?> fromB = pool.submit(() -> {
                for (int i = 0; i < lines; i++) {
                    b.sendFully(String.format("b%07d\n", i).getBytes());
                }
                return null;
            });
            List<java.util.concurrent.Future<?>> senders = new ArrayList<>();
            for (String who : List.of("x", "y")) {
                senders.add(pool.submit(() -> {
                    for (int i = 0; i < lines; i++) {
                        a.sendFully(String.format("%s%07d\n", who, i).getBytes(), memfd);
                    }
                    return null;
                }));
            }
            java.util.concurrent.Future<String> atB = pool.submit(() -> receiveLines(b, 2 * lines, true));
            assertEquals(expected("b", lines), receiveLines(a, lines, false), "what a received while sending");
            fromB.get();
            for (java.util.concurrent.Future<?> f : senders) {
                f.get();
            }
            String got = atB.get();
            for (String who : List.of("x", "y")) {
                StringBuilder mine = new StringBuilder();
                got.lines().filter(l -> l.startsWith(who)).forEach(l -> mine.append(l).append('\n'));
                assertEquals(expected(who, lines), mine.toString(), "lines of sender " + who + ", in order");
            }
            pool.shutdown();
        }
    }

    private static String expected(String who, int lines) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < lines; i++) {
            s.append(String.format("%s%07d\n", who, i));
        }
        return s.toString();
    }

    /** Reads n lines; with fdPerLine, checks that each line brought exactly one fd (closed here). */
    private static String receiveLines(UnixSocket s, int n, boolean fdPerLine) throws NativeException {
        StringBuilder text = new StringBuilder();
        byte[] buf = new byte[4096];
        int newlines = 0, fds = 0;
        while (newlines < n) {
            List<Fd> got = new ArrayList<>();
            int len = s.receive(buf, 0, buf.length, got);
            assertTrue(len > 0, "EOF after " + newlines + " lines");
            for (Fd f : got) {
                f.close();
            }
            fds += got.size();
            for (int i = 0; i < len; i++) {
                newlines += buf[i] == '\n' ? 1 : 0;
            }
            text.append(new String(buf, 0, len));
        }
        assertEquals(fdPerLine ? n : 0, fds, "fds received");
        return text.toString();
    }

    @Test
    void shutdownWakesABlockedReceiveWithEof() throws Exception {
        UnixSocket[] pair = UnixSocket.pair();
        try (UnixSocket a = pair[0]; UnixSocket b = pair[1]) {
            java.util.concurrent.CompletableFuture<Integer> n = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                try {
                    return a.receive(new byte[1], 0, 1, new ArrayList<>());
                } catch (NativeException e) {
                    throw new IllegalStateException(e);
                }
            });
            a.shutdown(); // whether the receive is blocked already or starts after: EOF

            assertEquals(0, n.get(), "EOF");
            NativeException e = assertThrows(NativeException.class, () -> a.sendFully("x".getBytes()));
            assertEquals(Errno.EPIPE, e.errno());
        }
    }
}
