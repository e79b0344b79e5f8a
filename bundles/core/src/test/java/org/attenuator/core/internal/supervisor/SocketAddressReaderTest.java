package org.attenuator.core.internal.supervisor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.attenuator.api.Decision;
import org.attenuator.api.SyscallHandler;
import org.attenuator.core.test.Harness;
import org.attenuator.core.test.HarnessTest;
import org.junit.jupiter.api.Test;

/** A handler reads the destinations of a real program's connect() calls while they wait. */
class SocketAddressReaderTest extends HarnessTest {

    private static final int ECONNREFUSED = 111;

    @Test
    void connectDestinationsAreReadFromTheWaitingCaller() throws Exception {
        List<SocketAddress> seen = new CopyOnWriteArrayList<>();
        harness.addHandler((event, context) -> {
            seen.add(event.reader().readSocketAddress(event.arg(1), (int) event.arg(2)));
            return Decision.deny(ECONNREFUSED);
        }, 0, Map.of(SyscallHandler.SYSCALLS, "connect"));
        String unixPath = dir.resolve("app.sock").toString();
        String script = "import socket\n"
                + "for family, address in ((socket.AF_INET, ('127.0.0.1', 6379)), (socket.AF_INET6, ('::1', 25)),"
                + " (socket.AF_UNIX, '" + unixPath + "')):\n"
                + "    try:\n"
                + "        socket.socket(family).connect(address)\n"
                + "        print('connected')\n"
                + "    except OSError as e:\n"
                + "        print(e.errno)\n";
        Process python = harness.target("", List.of("connect"), "python3", "-c", script);

        assertEquals("111\n111\n111", Harness.output(python, Duration.ofSeconds(30)));
        // Python's start-up may connect first (glibc asks nscd for the user on some machines), so the
        // script's three calls are the last three the handler saw.
        assertEquals(List.of(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 6379),
                new InetSocketAddress(InetAddress.getByName("::1"), 25),
                UnixDomainSocketAddress.of(unixPath)), seen.subList(Math.max(0, seen.size() - 3), seen.size()));
    }
}
