package org.attenuator.profile;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The {@code "attenuator"} object of a profile, which container runtimes ignore: the system calls
 * the supervisor decides ({@code notify}, here {@code notifiedSyscalls}), what a notified call gets when no handler decides
 * ({@code undecided}, default errno EPERM), the system calls after which the strict policy holds
 * ({@code applyPoint}), the key learned profiles are stored under, and the fallback the keeper
 * answers with when the supervisor is gone.
 */
public record AttenuatorSettings(List<String> notifiedSyscalls, Decision undecided, List<String> applyPoint, String learningKey,
        Fallback fallback, Map<String, Object> otherFields) {

    public static final Decision DEFAULT_UNDECIDED = Decision.errno(Errno.EPERM);

    public AttenuatorSettings {
        notifiedSyscalls = List.copyOf(notifiedSyscalls);
        Objects.requireNonNull(undecided, "undecided");
        applyPoint = List.copyOf(applyPoint);
        otherFields = Fields.copy(otherFields);
    }

    /** {@code {"default": "errno:EPERM", "syscalls": {"write": "allow"}}}; null when the profile has none. */
    public record Fallback(Decision defaultDecision, Map<String, Decision> syscalls, Map<String, Object> otherFields) {

        public Fallback {
            Objects.requireNonNull(defaultDecision, "defaultDecision");
            syscalls = Map.copyOf(syscalls);
            otherFields = Fields.copy(otherFields);
        }

        /** The decision for one system call. */
        public Decision decisionFor(String syscall) {
            return syscalls.getOrDefault(syscall, defaultDecision);
        }
    }

    /** A decision written {@code allow}, {@code kill} or {@code errno:NAME} (NAME an errno name or number). */
    public record Decision(Kind kind, int errno) {

        public enum Kind { ALLOW, ERRNO, KILL }

        public Decision {
            Objects.requireNonNull(kind, "kind");
            if (kind == Kind.ERRNO ? errno <= 0 || errno > 4095 : errno != 0) {
                throw new IllegalArgumentException("bad errno " + errno + " for " + kind);
            }
        }

        public static final Decision ALLOW = new Decision(Kind.ALLOW, 0);
        public static final Decision KILL = new Decision(Kind.KILL, 0);

        public static Decision errno(int errno) {
            return new Decision(Kind.ERRNO, errno);
        }

        /** Parses {@code allow | kill | errno:NAME}; empty when the text is none of these. */
        public static java.util.Optional<Decision> parse(String text) {
            if ("allow".equals(text)) {
                return java.util.Optional.of(ALLOW);
            }
            if ("kill".equals(text)) {
                return java.util.Optional.of(KILL);
            }
            if (text != null && text.startsWith("errno:")) {
                return Errno.parse(text.substring("errno:".length())).map(Decision::errno);
            }
            return java.util.Optional.empty();
        }

        @Override
        public String toString() {
            return kind == Kind.ERRNO ? "errno:" + Errno.name(errno) : kind.name().toLowerCase();
        }
    }
}
