package org.attenuator.cli.internal;

import java.io.IOException;
import org.attenuator.bpf.CompileException;

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
     * A failure of the learned-profile store: a stored file that is not a profile (a FIFO, a
     * broken one) is bad input, named by its own message; anything else is {@code context: cause}.
     */
    static CommandException ofStore(String context, IOException e) {
        if (e.getCause() instanceof CompileException bad) {
            return badInput(bad.getMessage());
        }
        return new CommandException(1, context + ": " + e.getMessage());
    }

    public int status() {
        return status;
    }
}
