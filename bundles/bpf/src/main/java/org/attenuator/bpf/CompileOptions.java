package org.attenuator.bpf;

import java.util.Objects;

/**
 * How to compile. {@code optimize} false gives the reference shape: a linear list of syscall
 * tests, no shared code and no passes (what the optimized program is tested against).
 * {@code badArchAction} is what a call from an architecture outside the policy gets.
 */
public record CompileOptions(boolean optimize, Action badArchAction) {

    public static final CompileOptions DEFAULT = new CompileOptions(true, Action.KILL_PROCESS);

    public CompileOptions {
        Objects.requireNonNull(badArchAction, "badArchAction");
    }

    public CompileOptions withOptimize(boolean value) {
        return new CompileOptions(value, badArchAction);
    }
}
