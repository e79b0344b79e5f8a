package org.attenuator.core.spi;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.attenuator.api.Decision;
import org.attenuator.bpf.Action;
import org.attenuator.bpf.BpfInterpreter;
import org.attenuator.bpf.BpfProgram;
import org.attenuator.bpf.SeccompData;

/**
 * The denials of a tree's profile that its filter notifies instead of answering in the kernel, so
 * that the supervisor can log them (the deny-log): every call the filter notifies is first run
 * through {@link #kernelFilter() the filter the kernel would have run}; when that denies or kills,
 * the supervisor gives exactly that answer, before any handler (same errno, rule by rule, argument
 * conditions included: the program sees the same registers the kernel saw). What the profile
 * notifies itself still goes to the handlers. Immutable.
 *
 * <p>{@link #answers()} and {@link #otherwise()} say the same per syscall name, for a fallback that
 * knows only syscall numbers (the keeper): each routed syscall has one answer whatever its
 * arguments (a syscall whose denials differ by argument keeps them in the kernel).
 *
 * @since 0.5.0
 */
public final class RoutedDenials {

    /** The kernel's cap on an errno from SECCOMP_RET_ERRNO. */
    private static final int MAX_ERRNO = 4095;

    private final BpfProgram kernelFilter;
    private final Map<String, Decision> answers;
    private final Decision otherwise;
    private final Set<String> notified;

    /**
     * @param kernelFilter the program the tree would have had without routing
     * @param answers routed syscall names and the one answer each gets
     * @param otherwise the answer of the profile's default action when it is routed
     * @param notified the syscalls the tree notifies for its own decisions (handlers, tree policy)
     */
    public RoutedDenials(BpfProgram kernelFilter, Map<String, Decision> answers, Optional<Decision> otherwise,
            Set<String> notified) {
        BpfInterpreter.verify(kernelFilter);
        this.kernelFilter = kernelFilter;
        this.answers = Map.copyOf(answers);
        this.otherwise = Objects.requireNonNull(otherwise, "otherwise").orElse(null);
        this.notified = Set.copyOf(notified);
    }

    /**
     * The answer the kernel filter gives this call if it denies or kills it ({@code deny(errno)},
     * {@code respond(0)} for ERRNO(0), {@code kill}); null when it notifies or allows it.
     */
    public Decision answerFor(int auditArch, int nr, long instructionPointer, long[] args) {
        return decisionOf(BpfInterpreter.runVerified(kernelFilter, new SeccompData(nr, auditArch, instructionPointer, args))
                .action());
    }

    /** The supervisor's answer for a kernel action that is routed; null for the others. */
    public static Decision decisionOf(Action action) {
        return switch (action.kind()) {
            case ERRNO -> action.data() == 0 ? Decision.respond(0) : Decision.deny(Math.min(action.data(), MAX_ERRNO));
            case KILL_PROCESS, KILL_THREAD -> Decision.kill();
            default -> null;
        };
    }

    /** Whether the kernel action is routed: ERRNO and the kills (TRAP, TRACE and LOG stay in the kernel). */
    public static boolean routes(Action action) {
        return decisionOf(action) != null;
    }

    public BpfProgram kernelFilter() {
        return kernelFilter;
    }

    /** Routed syscall names and the one answer each gets. */
    public Map<String, Decision> answers() {
        return answers;
    }

    /** The answer of routed calls of syscalls the profile has no rule for, when its default denies. */
    public Optional<Decision> otherwise() {
        return Optional.ofNullable(otherwise);
    }

    /** The syscalls the tree notifies for its own decisions, not routed. */
    public Set<String> notified() {
        return notified;
    }

    @Override
    public String toString() {
        return "routed" + answers + (otherwise == null ? "" : ", otherwise " + otherwise);
    }
}
