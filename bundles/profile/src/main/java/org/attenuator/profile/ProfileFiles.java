package org.attenuator.profile;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.attenuator.bpf.CompileException;
import org.attenuator.bpf.CompileException.Reason;
import org.attenuator.bpf.SourceLocation;
import org.attenuator.linux.Fd;
import org.attenuator.linux.FileStatus;
import org.attenuator.linux.NativeException;

/**
 * The one way a profile file is read: only a regular file (a symlink to one is fine: it is the
 * caller's own path), at most {@link #MAX_BYTES}, UTF-8. The type is checked on the opened fd,
 * so the file checked is the file read; the open is non-blocking, so a FIFO cannot hang it, and
 * without a controlling-terminal side effect. /dev/zero, a FIFO or a directory is refused in one
 * line naming the path and its type.
 *
 * @since 0.2.0
 */
public final class ProfileFiles {

    /** 1 MiB: Docker's default profile is 20 KiB; a learned one with thousands of rules stays far below. */
    public static final int MAX_BYTES = 1 << 20;

    private ProfileFiles() {
    }

    /** @throws CompileException {@link Reason#UNREADABLE}, {@code "PATH: reason"} */
    public static String read(Path file) throws CompileException {
        try (Fd fd = Fd.open(file.toString(), Fd.O_RDONLY | Fd.O_NONBLOCK | Fd.O_NOCTTY)) {
            FileStatus status = fd.status();
            if (!status.isRegularFile()) {
                throw unreadable(file, "not a regular file (" + status.typeName() + ")");
            }
            if (status.size() > MAX_BYTES) {
                throw tooLarge(file);
            }
            byte[] bytes = fd.readUpTo(MAX_BYTES + 1);
            if (bytes.length > MAX_BYTES) {
                throw tooLarge(file);
            }
            return decode(file, bytes);
        } catch (NativeException e) {
            throw unreadable(file, reason(e));
        }
    }

    private static String decode(Path file, byte[] bytes) throws CompileException {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw unreadable(file, "not UTF-8 text");
        }
    }

    private static String reason(NativeException e) {
        return switch (e.errnoName()) {
            case "ENOENT" -> "no such file";
            case "EACCES" -> "permission denied";
            case "ENXIO" -> "not a regular file (a socket or a device without a driver)";
            default -> "cannot read: " + org.attenuator.linux.Errno.message(e.errno());
        };
    }

    private static CompileException tooLarge(Path file) {
        return unreadable(file, "larger than 1 MiB, the most a profile file may be");
    }

    private static CompileException unreadable(Path file, String reason) {
        return new CompileException(Reason.UNREADABLE, new SourceLocation(file.toString(), "", 0), reason);
    }
}
