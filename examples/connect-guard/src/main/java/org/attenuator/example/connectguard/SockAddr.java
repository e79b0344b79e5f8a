package org.attenuator.example.connectguard;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** The start of a struct sockaddr as the kernel reads it: family, then (for IP) the port. */
final class SockAddr {

    static final int AF_INET = 2;
    static final int AF_INET6 = 10;
    /** sa_family_t (2 bytes) + in_port_t (2 bytes): all the guard needs of sockaddr_in and sockaddr_in6. */
    static final int FAMILY_AND_PORT = 4;
    /** sizeof(struct sockaddr_storage): the kernel refuses longer addresses. */
    static final int MAX_LENGTH = 128;

    private SockAddr() {
    }

    /**
     * The destination port of an AF_INET or AF_INET6 address, or -1 for any other family.
     * {@code sa_family} is in the target's byte order (little-endian on every architecture
     * Attenuator supports: x86_64, i386, x32, aarch64), the port in network order.
     */
    static int inetPort(ByteBuffer address) {
        ByteBuffer b = address.duplicate();
        b.order(ByteOrder.LITTLE_ENDIAN);
        int family = Short.toUnsignedInt(b.getShort(0));
        if (family != AF_INET && family != AF_INET6) {
            return -1;
        }
        b.order(ByteOrder.BIG_ENDIAN);
        return Short.toUnsignedInt(b.getShort(2));
    }
}
