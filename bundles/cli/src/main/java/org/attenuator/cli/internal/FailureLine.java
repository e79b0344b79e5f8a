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
 * stderr has its control characters written out ({@link EscapingPrintStream}).
 */
final class FailureLine {

    private static final Logger LOG = LoggerFactory.getLogger(FailureLine.class);

    private FailureLine() {
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
