package org.attenuator.plugin.denylog.internal;

import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.attenuator.api.ArgumentReader;
import org.attenuator.api.SyscallEvent;
import org.attenuator.api.TargetGoneException;

/**
 * Decodes a notified syscall's arguments by {@link Signatures}: registers by type, pointers through
 * the event's TOCTOU-checked reader. Once the reader reports the target gone, the remaining pointer
 * arguments are shown as addresses and {@link Decoded#targetGone()} is set.
 */
final class ArgDecoder {

    static final int AT_FDCWD = -100;
    static final int MAX_ARGV = 32;

    /** Decoded arguments, in register order; values are String, Long or List of String. */
    record Decoded(Map<String, Object> args, boolean targetGone) {
    }

    private final int maxString;

    ArgDecoder(int maxString) {
        this.maxString = maxString;
    }

    Decoded decode(SyscallEvent event) {
        List<Signatures.Arg> signature = Signatures.of(event.syscall().name());
        Map<String, Object> args = new LinkedHashMap<>();
        boolean gone = false;
        String arch = event.syscall().arch();
        for (int i = 0; i < signature.size(); i++) {
            Signatures.Arg arg = signature.get(i);
            long value = event.arg(i);
            if (arg.type().readsMemory && (gone || value == 0)) {
                args.put(arg.name(), value == 0 ? "NULL" : pointer(value));
                continue;
            }
            try {
                args.put(arg.name(), decode(arg, value, event, arch));
            } catch (TargetGoneException e) {
                gone = true;
                args.put(arg.name(), pointer(value));
            } catch (UncheckedIOException e) {
                args.put(arg.name(), "unreadable " + pointer(value));
            }
        }
        return new Decoded(args, gone);
    }

    private Object decode(Signatures.Arg arg, long value, SyscallEvent event, String arch) {
        ArgumentReader reader = event.reader();
        return switch (arg.type()) {
            case PATH, STRING -> reader.readString(value, maxString);
            case SOCKADDR -> Sockaddr.read(reader, value,
                    arg.lengthArg() >= 0 ? event.arg(arg.lengthArg()) & 0xffffffffL : Sockaddr.MAX);
            case ARGV -> argv(reader, value, pointerSize(arch));
            case DIRFD -> (int) value == AT_FDCWD ? "AT_FDCWD" : (Object) (long) (int) value;
            case FD, INT -> (long) (int) value;
            case LONG -> value;
            case HEX, POINTER -> pointer(value);
            case MODE -> "0" + Long.toOctalString(value & 07777);
            case OPEN_FLAGS -> ("aarch64".equals(arch) ? Constants.OPEN_FLAGS_AARCH64 : Constants.OPEN_FLAGS)
                    .format(value & 0xffffffffL);
            case AT_FLAGS -> Constants.AT_FLAGS.format(value & 0xffffffffL);
            case SOCK_DOMAIN -> Constants.SOCK_DOMAIN.format(value & 0xffffffffL);
            case SOCK_TYPE -> Constants.SOCK_TYPE.format(value & 0xffffffffL);
            case CLONE_FLAGS -> Constants.CLONE_FLAGS.format(value);
            case NAMESPACE_FLAGS -> Constants.NAMESPACE_FLAGS.format(value & 0xffffffffL);
            case MMAP_PROT -> value == 0 ? "PROT_NONE" : Constants.MMAP_PROT.format(value & 0xffffffffL);
            case MMAP_FLAGS -> Constants.MMAP_FLAGS.format(value & 0xffffffffL);
            case PRCTL_OPTION -> Constants.PRCTL_OPTION.format(value & 0xffffffffL);
            case FCNTL_CMD -> Constants.FCNTL_CMD.format(value & 0xffffffffL);
            case SIGNAL -> Constants.SIGNALS.format(value & 0xffffffffL);
        };
    }

    private List<String> argv(ArgumentReader reader, long address, int pointerSize) {
        List<String> result = new ArrayList<>();
        for (int i = 0; i < MAX_ARGV; i++) {
            ByteBuffer p = reader.readBytes(address + (long) i * pointerSize, pointerSize).order(ByteOrder.LITTLE_ENDIAN);
            long ptr = pointerSize == 8 ? p.getLong(0) : Integer.toUnsignedLong(p.getInt(0));
            if (ptr == 0) {
                return result;
            }
            result.add(reader.readString(ptr, maxString));
        }
        result.add("...");
        return result;
    }

    private static int pointerSize(String arch) {
        return "i386".equals(arch) || "x32".equals(arch) ? 4 : 8;
    }

    static String pointer(long value) {
        return "0x" + Long.toHexString(value);
    }
}
