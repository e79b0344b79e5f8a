package org.attenuator.plugin.denylog.internal;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Decodes a struct sockaddr: {@code unix:/run/x.sock}, {@code unix:@abstract},
 * {@code inet:127.0.0.1:80}, {@code inet6:[::1]:443}, else {@code family:N}.
 */
final class Sockaddr {

    static final int AF_UNIX = 1;
    static final int AF_INET = 2;
    static final int AF_INET6 = 10;
    /** sizeof(struct sockaddr_storage). */
    static final int MAX = 128;

    private Sockaddr() {
    }

    static String decode(ByteBuffer raw) {
        ByteBuffer b = raw.slice().order(ByteOrder.LITTLE_ENDIAN);
        int len = b.remaining();
        if (len < 2) {
            return "short:" + len;
        }
        int family = Short.toUnsignedInt(b.getShort(0));
        switch (family) {
            case AF_UNIX:
                return "unix:" + unixPath(b, len);
            case AF_INET:
                if (len < 8) {
                    return "inet:short";
                }
                return "inet:" + address(b, 4, 4) + ":" + port(b);
            case AF_INET6:
                if (len < 24) {
                    return "inet6:short";
                }
                return "inet6:[" + address(b, 8, 16) + "]:" + port(b);
            default:
                return "family:" + Constants.SOCK_DOMAIN.format(family);
        }
    }

    private static String unixPath(ByteBuffer b, int len) {
        if (len <= 2) {
            return "(unnamed)";
        }
        byte[] path = new byte[len - 2];
        b.get(2, path);
        if (path[0] == 0) {
            // abstract: the name is every byte after the NUL, up to the given length
            return "@" + new String(path, 1, path.length - 1, StandardCharsets.UTF_8).replace('\0', '@');
        }
        int end = 0;
        while (end < path.length && path[end] != 0) {
            end++;
        }
        return new String(path, 0, end, StandardCharsets.UTF_8);
    }

    private static int port(ByteBuffer b) {
        return (Byte.toUnsignedInt(b.get(2)) << 8) | Byte.toUnsignedInt(b.get(3));
    }

    private static String address(ByteBuffer b, int offset, int length) {
        byte[] addr = new byte[length];
        b.get(offset, addr);
        try {
            return InetAddress.getByAddress(addr).getHostAddress();  // no name lookup
        } catch (UnknownHostException e) {
            throw new IllegalStateException("4 or 16 bytes are always an address", e);
        }
    }
}
