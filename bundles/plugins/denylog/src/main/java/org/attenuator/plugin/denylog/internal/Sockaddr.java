package org.attenuator.plugin.denylog.internal;

import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import org.attenuator.api.ArgumentReader;

/**
 * Shows a struct sockaddr as the API's reader decodes it ({@link ArgumentReader#readSocketAddress}):
 * {@code unix:/run/x.sock}, {@code inet:127.0.0.1:80}, {@code inet6:[0:0:0:0:0:0:0:1]:443}; and
 * what a {@link SocketAddress} cannot name: {@code unix:@abstract}, {@code unix:(unnamed)},
 * {@code family:AF_NETLINK}, or the length the kernel would refuse ({@code bad length:N}).
 */
final class Sockaddr {

    /** sizeof(struct sockaddr_storage): the most a call takes. */
    static final int MAX = 128;
    private static final int AF_UNIX = 1;

    private Sockaddr() {
    }

    static String read(ArgumentReader reader, long address, long length) {
        if (length < 2 || length > MAX) {
            return "bad length:" + length;
        }
        SocketAddress a = reader.readSocketAddress(address, (int) length);
        if (a instanceof InetSocketAddress inet) {
            String host = inet.getAddress().getHostAddress(); // no name lookup
            return inet.getAddress() instanceof Inet6Address ? "inet6:[" + host + "]:" + inet.getPort()
                    : "inet:" + host + ":" + inet.getPort();
        }
        if (a instanceof UnixDomainSocketAddress unix) {
            return "unix:" + unix.getPath();
        }
        ByteBuffer b = reader.readBytes(address, (int) length).duplicate().order(ByteOrder.LITTLE_ENDIAN);
        int family = Short.toUnsignedInt(b.getShort(0));
        if (family != AF_UNIX) {
            return "family:" + Constants.SOCK_DOMAIN.format(family) + (length < 16 ? " bad length:" + length : "");
        }
        if (length == 2) {
            return "unix:(unnamed)";
        }
        // abstract: the name is every byte after the leading NUL, up to the given length
        byte[] name = new byte[(int) length - 3];
        b.get(3, name);
        return "unix:@" + new String(name, StandardCharsets.UTF_8).replace('\0', '@');
    }
}
