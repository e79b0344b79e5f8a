package org.attenuator.cli.internal;

import java.io.IOException;
import org.attenuator.bpf.CompileException;
import org.attenuator.linux.RefusedPathException;

/** Ends a command with one line on stderr and an exit status. */
public class CommandException extends Exception {
    private static final long serialVersionUID = 1L;

    /** Exit status for usage errors and bad input (a broken profile, an unknown syscall). */
    public static final int BAD_INPUT = 2;

    private final int status;

    public CommandException(int status, String message) {
        super(message);
        this.status = status;
    }

    /** A usage error or bad input: exit status 2. */
    public static CommandException badInput(String message) {
        return new CommandException(BAD_INPUT, message);
    }

    /**
     * A failed file access: a path refused as someone else's, or a stored file that is not a profile
     * (a FIFO, a broken one), is bad input (exit 2) named by its own message; anything else exits 1
     * with {@code context} first.
     */
    public static CommandException io(String context, IOException e) {
        if (e instanceof RefusedPathException) {
            return badInput(e.getMessage());
        }
        if (e.getCause() instanceof CompileException bad) {
            return badInput(bad.getMessage());
        }
        return new CommandException(1, context + ": " + FailureLine.of(e));
    }

    public int status() {
        return status;
    }
}
