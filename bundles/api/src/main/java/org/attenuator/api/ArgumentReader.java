package org.attenuator.api;

import java.nio.ByteBuffer;
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
}
