package org.attenuator.cli.internal;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * Where {@code -o PATH} writes, by what PATH is now: a new path or a regular file is replaced
 * atomically (a temp file beside it, renamed over it: a reader never sees half a program); a
 * character device (/dev/null, a tty) or a FIFO is written in place, as a shell redirection
 * would, so it stays what it is; a directory, a symlink, a block device or a socket is refused.
 */
final class OutputFile {

    private OutputFile() {
    }

    static void write(Path target, byte[] bytes) throws CommandException {
        BasicFileAttributes attrs;
        try {
            attrs = Files.readAttributes(target, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            replaceAtomically(target, bytes);
            return;
        } catch (IOException e) {
            throw new CommandException(1, "cannot write " + target + ": " + FailureLine.reason(e));
        }
        if (attrs.isRegularFile()) {
            replaceAtomically(target, bytes);
        } else if (attrs.isSymbolicLink()) {
            throw CommandException.badInput("will not write " + target + ": a symbolic link (give the path it points to)");
        } else if (attrs.isDirectory()) {
            throw CommandException.badInput("will not write " + target + ": a directory");
        } else if (isCharacterDeviceOrFifo(target)) {
            writeInPlace(target, bytes);
        } else {
            throw CommandException.badInput("will not write " + target + ": not a regular file, character device or FIFO");
        }
    }

    /** "p" (FIFO) or "c" (character device) in the mode string ls would print. */
    private static boolean isCharacterDeviceOrFifo(Path target) throws CommandException {
        try {
            int mode = (Integer) Files.getAttribute(target, "unix:mode", LinkOption.NOFOLLOW_LINKS);
            int type = mode & 0170000;
            return type == 0020000 || type == 0010000;
        } catch (IOException e) {
            throw new CommandException(1, "cannot write " + target + ": " + FailureLine.reason(e));
        } catch (UnsupportedOperationException e) {
            throw new CommandException(1, "cannot write " + target + ": not a Unix file system");
        }
    }

    /** NOFOLLOW_LINKS: a symlink swapped in since the check is not followed. */
    private static void writeInPlace(Path target, byte[] bytes) throws CommandException {
        try (OutputStream out = Files.newOutputStream(target, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS)) {
            out.write(bytes);
        } catch (IOException e) {
            throw new CommandException(1, "cannot write " + target + ": " + FailureLine.reason(e));
        }
    }

    private static void replaceAtomically(Path target, byte[] bytes) throws CommandException {
        Path dir = target.toAbsolutePath().getParent();
        try {
            Path temp = Files.createTempFile(dir, "." + target.getFileName(), ".tmp");
            try {
                Files.write(temp, bytes);
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } finally {
                Files.deleteIfExists(temp);
            }
        } catch (IOException e) {
            throw new CommandException(1, "cannot write " + target + ": " + FailureLine.reason(e));
        }
    }
}
