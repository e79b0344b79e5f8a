package org.attenuator.linux;

/**
 * How a child ended, from waitid's siginfo: code is CLD_EXITED (status = exit code) or
 * CLD_KILLED / CLD_DUMPED (status = signal).
 */
public record ExitStatus(int pid, int code, int status) {
    public static final int CLD_EXITED = 1, CLD_KILLED = 2, CLD_DUMPED = 3;

    public boolean exited() {
        return code == CLD_EXITED;
    }

    /** The exit code, or -1 if killed. */
    public int exitCode() {
        return exited() ? status : -1;
    }

    /** The signal that killed it, or 0. */
    public int signal() {
        return code == CLD_KILLED || code == CLD_DUMPED ? status : 0;
    }

    /** Shell convention: the exit code, or 128 + signal. */
    public int shellStatus() {
        return exited() ? status : 128 + status;
    }

    /** "exit code N", "killed by signal N" or "killed by signal N (core dumped)", for log lines. */
    @Override
    public String toString() {
        return exited() ? "exit code " + status
                : "killed by signal " + status + (code == CLD_DUMPED ? " (core dumped)" : "");
    }
}
