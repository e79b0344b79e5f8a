package org.attenuator.api;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.InvalidPathException;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Reads memory of a notification's target, for pointer arguments. Every read is followed by a
 * check that the notification is still pending (SECCOMP_IOCTL_NOTIF_ID_VALID), so what it returns
 * was read from the very process that made the syscall.
 *
 * <p>The target's other threads can change that memory at any time after the read. Use what you
 * read to log, or to deny; never to allow: an allow decision must rest on register values only.
 */
@ProviderType
public interface ArgumentReader {

    /**
     * Reads a NUL-terminated string at {@code address}, at most {@code maxBytes} bytes.
     *
     * @return the string without its NUL; cut at {@code maxBytes} if no NUL came before
     * @throws TargetGoneException if the notification is no longer pending
     * @throws java.io.UncheckedIOException if the memory cannot be read (a bad pointer)
     */
    String readString(long address, int maxBytes);

    /**
     * Reads {@code length} bytes at {@code address}.
     *
     * @throws TargetGoneException if the notification is no longer pending
     * @throws java.io.UncheckedIOException if the memory cannot be read (a bad pointer)
     */
    ByteBuffer readBytes(long address, int length);

    /**
     * Reads the socket address of {@code length} bytes at {@code address}, as connect(), bind()
     * and sendto() take it: an {@link InetSocketAddress} for AF_INET and AF_INET6 (never resolved;
     * an IPv6 scope id kept), a {@link UnixDomainSocketAddress} for an AF_UNIX path. Null for
     * what those cannot name: another family, an unnamed or abstract AF_UNIX address, or a length
     * the kernel would refuse for the family (shorter than its struct, longer than
     * sockaddr_storage).
     *
     * @throws TargetGoneException if the notification is no longer pending
     * @throws java.io.UncheckedIOException if the memory cannot be read (a bad pointer)
     * @since 1.2.0
     */
    default SocketAddress readSocketAddress(long address, int length) {
        if (length < 2 || length > 128) { // sizeof(struct sockaddr_storage)
            return null;
        }
        // sa_family and sin6_scope_id are in the target's byte order: little-endian on every
        // architecture Attenuator supports (x86_64, i386, x32, aarch64); ports and addresses in network order
        ByteBuffer b = readBytes(address, length).duplicate().order(ByteOrder.LITTLE_ENDIAN);
        int family = Short.toUnsignedInt(b.getShort(0));
        int port = length >= 4 ? (b.get(2) & 0xff) << 8 | (b.get(3) & 0xff) : 0;
        try {
            switch (family) {
                case 2: // AF_INET; sizeof(struct sockaddr_in) is 16
                    return length < 16 ? null
                            : new InetSocketAddress(InetAddress.getByAddress(bytes(b, 4, 4)), port);
                case 10: // AF_INET6: 24 bytes without the scope id (RFC 2133's size), 28 with it
                    if (length < 24) {
                        return null;
                    }
                    int scope = length >= 28 ? b.getInt(24) : 0;
                    InetAddress ip = scope != 0 ? Inet6Address.getByAddress(null, bytes(b, 8, 16), scope)
                            : InetAddress.getByAddress(bytes(b, 8, 16));
                    return new InetSocketAddress(ip, port);
                case 1: // AF_UNIX
                    if (length == 2 || b.get(2) == 0) {
                        return null; // unnamed, or abstract (a leading NUL): not a path
                    }
                    int end = 2;
                    while (end < length && b.get(end) != 0) {
                        end++;
                    }
                    return UnixDomainSocketAddress.of(new String(bytes(b, 2, end - 2), StandardCharsets.UTF_8));
                default:
                    return null;
            }
        } catch (UnknownHostException | InvalidPathException e) {
            return null; // not reached with the lengths checked above; a path Java cannot hold
        }
    }

    private static byte[] bytes(ByteBuffer b, int offset, int length) {
        byte[] out = new byte[length];
        b.get(offset, out);
        return out;
    }
}
