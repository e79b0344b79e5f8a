package org.attenuator.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** {@link ArgumentReader#readSocketAddress} over struct sockaddr bytes laid out as a target holds them. */
class SocketAddressReadTest {

    private static final long ADDRESS = 0x7fff_0000_2000L;

    @Test
    void ipv4() throws Exception {
        ByteBuffer b = sockaddr(2, 6379, 16);
        b.put(4, new byte[] {127, 0, 0, 1});
        assertEquals(new InetSocketAddress(InetAddress.getByAddress(new byte[] {127, 0, 0, 1}), 6379), read(b, 16));
        assertNull(read(b, 8), "shorter than sockaddr_in: the kernel refuses it");
    }

    @Test
    void ipv6WithAndWithoutScope() throws Exception {
        byte[] linkLocal = new byte[16];
        linkLocal[0] = (byte) 0xfe;
        linkLocal[1] = (byte) 0x80;
        linkLocal[15] = 1;
        ByteBuffer b = sockaddr(10, 443, 28);
        b.put(8, linkLocal);
        b.putInt(24, 3);
        assertEquals(new InetSocketAddress(Inet6Address.getByAddress(null, linkLocal, 3), 443), read(b, 28));
        assertEquals(new InetSocketAddress(InetAddress.getByAddress(linkLocal), 443), read(b, 24), "RFC 2133 size");
        assertNull(read(b, 16));
    }

    @Test
    void unixPathButNotAbstractOrUnnamed() {
        ByteBuffer b = sockaddr(1, 0, 110);
        b.put(2, "/run/app.sock".getBytes(StandardCharsets.UTF_8));
        assertEquals(UnixDomainSocketAddress.of("/run/app.sock"), read(b, 110));
        assertEquals(UnixDomainSocketAddress.of("/run/app.sock"), read(b, 2 + 13), "no NUL within the length");
        assertNull(read(b, 2), "unnamed");
        ByteBuffer abstractName = sockaddr(1, 0, 20);
        abstractName.put(3, "name".getBytes(StandardCharsets.UTF_8));
        assertNull(read(abstractName, 20), "abstract: a leading NUL");
    }

    @Test
    void otherFamiliesAndLengthsAreNull() {
        assertNull(read(sockaddr(16 /* AF_NETLINK */, 0, 12), 12));
        assertNull(read(sockaddr(2, 80, 16), 1));
        assertNull(read(sockaddr(2, 80, 129), 129), "longer than sockaddr_storage");
    }

    /** A zeroed struct of {@code size} bytes with sa_family (little-endian) and a port (network order). */
    private static ByteBuffer sockaddr(int family, int port, int size) {
        ByteBuffer b = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
        b.putShort(0, (short) family);
        if (size >= 4) {
            b.put(2, (byte) (port >> 8));
            b.put(3, (byte) port);
        }
        return b;
    }

    private static Object read(ByteBuffer memory, int length) {
        ArgumentReader reader = new ArgumentReader() {
            @Override
            public String readString(long address, int maxBytes) {
                throw new UnsupportedOperationException();
            }

            @Override
            public ByteBuffer readBytes(long address, int n) {
                assertEquals(ADDRESS, address);
                return ByteBuffer.wrap(Arrays.copyOf(memory.array(), n)).asReadOnlyBuffer();
            }
        };
        return reader.readSocketAddress(ADDRESS, length);
    }
}
