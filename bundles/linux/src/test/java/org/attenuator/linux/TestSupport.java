package org.attenuator.linux;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Shared helpers: memfd output capture, the OCI agent side, BPF bytes. */
final class TestSupport {
    static final int SYS_GETPPID = 110, SYS_MKDIR = 83, SYS_OPENAT = 257;

    private TestSupport() {}

    /** Everything written to a memfd so far. */
    static String contents(Fd memfd) throws NativeException {
        ByteBuffer buf = ByteBuffer.allocate(64 * 1024);
        while (buf.hasRemaining() && memfd.pread(buf, buf.position()) > 0) {
            // until EOF
        }
        return new String(buf.array(), 0, buf.position(), StandardCharsets.UTF_8);
    }

    /** What the helper sent over the agent socket: the JSON and the fds that came with it. */
    record AgentMessage(String json, List<Fd> fds, UnixSocket.PeerCredentials peer) {
        int pid() {
            Matcher m = Pattern.compile("\"pid\":(\\d+)").matcher(json);
            assertTrue(m.find(), json);
            return Integer.parseInt(m.group(1));
        }

        String metadata() {
            Matcher m = Pattern.compile("\"metadata\":\"((?:[^\"\\\\]|\\\\.)*)\"").matcher(json);
            assertTrue(m.find(), json);
            return m.group(1);
        }
    }

    /** Accepts one connection and reads it to EOF (the OCI seccomp agent protocol). */
    static AgentMessage acceptAgentMessage(UnixSocket server) throws NativeException {
        try (UnixSocket conn = server.accept()) {
            conn.setReceiveTimeout(Duration.ofSeconds(30));
            UnixSocket.PeerCredentials peer = conn.peerCredentials();
            ByteArrayOutputStream json = new ByteArrayOutputStream();
            List<Fd> fds = new ArrayList<>();
            byte[] buf = new byte[4096];
            int n;
            while ((n = conn.receive(buf, 0, buf.length, fds)) > 0) {
                json.write(buf, 0, n);
            }
            return new AgentMessage(json.toString(StandardCharsets.UTF_8), fds, peer);
        }
    }

    /** Waits for IN on fd with a deadline; fails the test when it passes. */
    static int awaitEvents(Epoll epoll, Epoll.Events events, Duration timeout) throws NativeException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            int n = epoll.wait(events, 100);
            if (n > 0) {
                return events.events(0);
            }
        }
        fail("no epoll event within " + timeout);
        return 0;
    }

    /** sock_filter bytes: code, jt, jf, k in native (little-endian) order. */
    static final class Bpf {
        static final int LD_W_ABS = 0x20, JEQ_K = 0x15, RET_K = 0x06;
        private final ByteBuffer buf = ByteBuffer.allocate(8 * 64).order(ByteOrder.nativeOrder());

        Bpf insn(int code, int jt, int jf, int k) {
            buf.putShort((short) code).put((byte) jt).put((byte) jf).putInt(k);
            return this;
        }

        byte[] bytes() {
            byte[] b = new byte[buf.position()];
            buf.duplicate().flip().get(b);
            return b;
        }

        /** arch check, then nr == notified -> USER_NOTIF, else ALLOW. */
        static byte[] notifyOn(int nr) {
            return new Bpf()
                    .insn(LD_W_ABS, 0, 0, 4) // seccomp_data.arch
                    .insn(JEQ_K, 1, 0, Seccomp.nativeAuditArch())
                    .insn(RET_K, 0, 0, Seccomp.RET_KILL_PROCESS)
                    .insn(LD_W_ABS, 0, 0, 0) // seccomp_data.nr
                    .insn(JEQ_K, 0, 1, nr)
                    .insn(RET_K, 0, 0, Seccomp.RET_USER_NOTIF)
                    .insn(RET_K, 0, 0, Seccomp.RET_ALLOW)
                    .bytes();
        }

        static byte[] allowAll() {
            return new Bpf().insn(RET_K, 0, 0, Seccomp.RET_ALLOW).bytes();
        }
    }
}
