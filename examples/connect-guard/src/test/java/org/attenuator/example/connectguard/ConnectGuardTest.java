package org.attenuator.example.connectguard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.attenuator.api.Decision;
import org.attenuator.api.HandlerContext;
import org.attenuator.api.SyscallEvent;
import org.attenuator.api.SyscallHandler;
import org.attenuator.api.TargetGoneException;
import org.attenuator.testkit.ComponentConfig;
import org.attenuator.testkit.FakeContext;
import org.attenuator.testkit.FakeEvent;
import org.attenuator.testkit.FakeTree;
import org.attenuator.testkit.HandlerRunner;
import org.attenuator.testkit.TargetMemory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The guard against events made with the API test kit: what the supervisor would hand it for connect(). */
class ConnectGuardTest {

    private static final long ADDRESS = 0x7fff_0000_1000L;
    private static final int ECONNREFUSED = 111;
    private static final int EPERM = 1;
    private static final int AF_INET = 2, AF_INET6 = 10;

    @Test
    void aListedPortIsDeniedWithTheConfiguredErrno() {
        assertEquals(Decision.deny(ECONNREFUSED), guard(ConnectGuard.Errno.ECONNREFUSED, 25, 6379)
                .handle(connect(inet(AF_INET, 6379), 16), CONTEXT));
        assertEquals(Decision.deny(EPERM), guard(ConnectGuard.Errno.EPERM, 25)
                .handle(connect(inet(AF_INET, 25), 16), CONTEXT));
    }

    @Test
    void ipv6IsGuardedToo() {
        assertEquals(Decision.deny(ECONNREFUSED),
                guard(ConnectGuard.Errno.ECONNREFUSED, 25).handle(connect(inet(AF_INET6, 25), 28), CONTEXT));
    }

    @Test
    void everythingElsePassesNeverAllows() {
        ConnectGuard guard = guard(ConnectGuard.Errno.ECONNREFUSED, 25);
        assertEquals(Decision.pass(), guard.handle(connect(inet(AF_INET, 443), 16), CONTEXT), "unlisted");
        assertEquals(Decision.pass(), guard.handle(connect(inet(1 /* AF_UNIX */, 25), 110), CONTEXT), "not IP");
        assertEquals(Decision.pass(), guard.handle(connect(inet(AF_INET, 25), 2), CONTEXT), "too short");
        assertEquals(Decision.pass(), guard.handle(connect(inet(AF_INET, 25), 4096), CONTEXT), "too long");
        assertEquals(Decision.pass(), guard.handle(connect(null, 16), CONTEXT), "bad pointer");
    }

    @Test
    void bitsAboveTheIntLengthDoNotHideTheAddress() {
        // the kernel reads addrlen as an int: a register with garbage above bit 31 still connects
        assertEquals(Decision.deny(ECONNREFUSED), guard(ConnectGuard.Errno.ECONNREFUSED, 25)
                .handle(connect(inet(AF_INET, 25), 0x7_0000_0010L), CONTEXT));
    }

    @Test
    void aGoneTargetIsTheSupervisorsBusiness() {
        ConnectGuard guard = guard(ConnectGuard.Errno.ECONNREFUSED, 25);
        SyscallEvent gone = connect(inet(AF_INET, 25), 16).withReader(new TargetMemory().gone());
        assertThrows(TargetGoneException.class, () -> guard.handle(gone, CONTEXT));
    }

    @Test
    void underTheRealSupervisorAListedPortIsRefusedThoughAServerListensThere(@TempDir Path dir) throws Exception {
        InetAddress loopback = InetAddress.getLoopbackAddress();
        try (ServerSocket listed = new ServerSocket(0, 8, loopback);
                ServerSocket unlisted = new ServerSocket(0, 8, loopback);
                HandlerRunner runner = HandlerRunner.start(dir)) {
            runner.register(guard(ConnectGuard.Errno.ECONNREFUSED, listed.getLocalPort()),
                    Map.of(SyscallHandler.SYSCALLS, "connect"));
            HandlerRunner.Outcome refused = runner.run(List.of("connect"), "/bin/bash", "-c",
                    "echo > /dev/tcp/127.0.0.1/" + listed.getLocalPort());
            assertEquals(1, refused.status(), refused::toString);
            assertTrue(refused.stderr().contains("Connection refused"), refused::toString);
            // an unlisted port is passed on: with no other handler, the policy's undecided answer (EPERM)
            HandlerRunner.Outcome passed = runner.run(List.of("connect"), "/bin/bash", "-c",
                    "echo > /dev/tcp/127.0.0.1/" + unlisted.getLocalPort());
            assertEquals(1, passed.status(), passed::toString);
            assertTrue(passed.stderr().contains("Operation not permitted"), passed::toString);
        }
    }

    @Test
    void invalidConfigurationsAreRejectedWithTheReason() {
        IllegalArgumentException none = assertThrows(IllegalArgumentException.class,
                () -> guard(ConnectGuard.Errno.EPERM));
        assertTrue(none.getMessage().contains("at least one port"), none.getMessage());
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                () -> guard(ConnectGuard.Errno.EPERM, 80, 70000));
        assertTrue(bad.getMessage().contains("70000"), bad.getMessage());
    }

    // ---- what the supervisor would pass ----------------------------------------------------

    private static final HandlerContext CONTEXT = FakeContext.run();

    private static ConnectGuard guard(ConnectGuard.Errno errno, int... ports) {
        return new ConnectGuard(ComponentConfig.of(ConnectGuard.Config.class, Map.of("ports", ports, "errno", errno)));
    }

    /** A sockaddr_storage: family (little-endian), port (network order), then zeros. */
    private static ByteBuffer inet(int family, int port) {
        ByteBuffer b = ByteBuffer.allocate(128);
        b.order(ByteOrder.LITTLE_ENDIAN).putShort(0, (short) family);
        b.order(ByteOrder.BIG_ENDIAN).putShort(2, (short) port);
        return b;
    }

    /** connect(3, ADDRESS, length) whose memory at ADDRESS holds {@code memory} (null: unreadable). */
    private static FakeEvent connect(ByteBuffer memory, long length) {
        TargetMemory target = new TargetMemory();
        if (memory != null) {
            target.put(ADDRESS, memory.array());
        }
        return FakeEvent.of(FakeTree.of("t1", 4242), "connect", 42, 3, ADDRESS, length).withReader(target);
    }
}
