package org.attenuator.core;

/** A launch that failed before the target ran; nothing of it is left running. */
public class LaunchException extends Exception {
    private static final long serialVersionUID = 1L;

    /** Why, with the exit status a shell-like caller returns for it. */
    public enum Reason {
        /** The command does not exist (status 127, as a shell). */
        NOT_FOUND(127),
        /** The command exists but cannot be executed (status 126). */
        CANNOT_EXECUTE(126),
        /** The profile cannot be read, parsed or compiled (status 2, bad input). */
        BAD_PROFILE(2),
        /** The agent socket cannot be reached or refused the tree (status 125). */
        AGENT_UNREACHABLE(125),
        /**
         * A directory or file the launch needs (the run directory) could have been planted or
         * changed by another user; the message names it and why (status 2).
         */
        REFUSED_PATH(2),
        /** Anything else on the way to exec: no supervisor, attenuator-exec missing or failing (status 125). */
        SETUP(125);

        private final int status;

        Reason(int status) {
            this.status = status;
        }

        public int status() {
            return status;
        }
    }

    private final Reason reason;

    public LaunchException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public LaunchException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }

    /** The shell status for this failure: 127, 126, 125 or 2. */
    public int status() {
        return reason.status();
    }
}
