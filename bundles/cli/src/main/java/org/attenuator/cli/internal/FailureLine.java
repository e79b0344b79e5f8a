package org.attenuator.cli.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place that turns a failure into the words of an error line: what a user can act on (a
 * path and the reason, as ls or cat would say it), never an exception's class name or a library's
 * own wording. The details of an unexpected failure go to the log, at debug level. Every line on
 * stderr passes through {@link #printable(String)} ({@link EscapingPrintStream}).
 */
final class FailureLine {

    private static final Logger LOG = LoggerFactory.getLogger(FailureLine.class);

    private FailureLine() {
    }

    /**
     * {@code text} with every control character written out ({@code \x1b} for ESC): a file name,
     * a system call name or an agent peer's metadata in an error line must not move the cursor,
     * clear the screen or retitle the window of the terminal that shows it. Newlines and tabs stay.
     */
    static String printable(String text) {
        StringBuilder b = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (isControl(c)) {
                if (b == null) {
                    b = new StringBuilder(text.length() + 8).append(text, 0, i);
                }
                b.append(c <= 0xff ? String.format("\\x%02x", (int) c) : String.format("\\u%04x", (int) c));
            } else if (b != null) {
                b.append(c);
            }
        }
        return b == null ? text : b.toString();
    }

    /** C0 but newline and tab, DEL, C1 (0x9b is a CSI of its own), and the bidirectional overrides. */
    private static boolean isControl(char c) {
        return (c < 0x20 && c != '\n' && c != '\t') || (c >= 0x7f && c <= 0x9f)
                || (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069);
    }

    /** {@code PATH: no such file or directory}, or the reason alone when the exception names no file. */
    static String of(IOException e) {
        if (e instanceof FileSystemException fs && fs.getFile() != null) {
            String other = fs.getOtherFile() != null ? " -> " + fs.getOtherFile() : "";
            return fs.getFile() + other + ": " + reason(e);
        }
        return reason(e);
    }

    /** Why a file operation failed, in the words of the C library's messages. */
    static String reason(IOException e) {
        if (e instanceof NoSuchFileException) {
            return "no such file or directory";
        }
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof FileAlreadyExistsException) {
            return "already exists";
        }
        if (e instanceof NotDirectoryException) {
            return "not a directory";
        }
        if (e instanceof DirectoryNotEmptyException) {
            return "directory not empty";
        }
        if (e instanceof CharacterCodingException) {
            return "not a text file (not UTF-8)";
        }
        if (e instanceof FileSystemException fs && fs.getReason() != null) {
            return fs.getReason().toLowerCase(java.util.Locale.ROOT);
        }
        String message = e.getMessage();
        return message == null || message.isBlank() ? "input/output error" : message;
    }

    /** The line for an argument a service refused: its message, which our services write for users. */
    static String invalid(String command, IllegalArgumentException e) {
        LOG.debug("attenuator {}: refused argument", command, e);
        String message = e.getMessage();
        return message == null || message.isBlank() ? "invalid argument" : message;
    }

    /** The line for a failure no command anticipated; its stack trace goes to the log. */
    static String unexpected(String command, RuntimeException e) {
        if (e instanceof UncheckedIOException io) {
            return of(io.getCause());
        }
        LOG.debug("attenuator {} failed", command, e);
        return "internal error (ATTENUATOR_LOG_LEVEL=DEBUG shows where)";
    }
}
