package org.attenuator.bpf;

import java.util.Objects;

/**
 * Why a profile could not become a filter, with where: the one exception type of reading,
 * resolving and compiling. {@link #getMessage()} is the one line a command prints.
 */
public final class CompileException extends Exception {

    private static final long serialVersionUID = 1L;

    /** The closed set of reasons. */
    public enum Reason {
        /** The file could not be read. */
        UNREADABLE,
        /** Not JSON. */
        MALFORMED_JSON,
        /** A field holds the wrong JSON type (a string where a number belongs, ...). */
        WRONG_TYPE,
        /** A required field is absent. */
        MISSING_FIELD,
        /**
         * A field the format does not have (a misspelling would otherwise be silently ignored).
         *
         * @since 0.3.0
         */
        UNKNOWN_FIELD,
        UNKNOWN_ACTION,
        UNKNOWN_OPERATOR,
        /** An architecture name that is not a libseccomp one, or one without a syscall table. */
        UNKNOWN_ARCHITECTURE,
        /** A system call name that no architecture's table knows. */
        UNKNOWN_SYSCALL,
        /** An argument index outside 0..5. */
        ARGUMENT_INDEX,
        /** A rule without system call names. */
        EMPTY_NAMES,
        /** A negative number where an unsigned one belongs. */
        NEGATIVE_VALUE,
        /** A value out of its range or not allowed there (an errno above 65535, a bad capability, ...). */
        INVALID_VALUE,
        /** The program would exceed BPF_MAXINSNS. */
        PROGRAM_TOO_LARGE
    }

    private final Reason reason;
    private final SourceLocation location;
    private final String detail;

    public CompileException(Reason reason, SourceLocation location, String detail) {
        super(location.describe() + detail);
        this.reason = Objects.requireNonNull(reason, "reason");
        this.location = location;
        this.detail = detail;
    }

    public CompileException(Reason reason, String path, String detail) {
        this(reason, SourceLocation.at(path), detail);
    }

    public Reason reason() {
        return reason;
    }

    public SourceLocation location() {
        return location;
    }

    /** The message without the location. */
    public String detail() {
        return detail;
    }

    /** The same error, located in a file (and at a line, if known). */
    public CompileException in(String file, int line) {
        return new CompileException(reason, location.in(file, line), detail);
    }
}
