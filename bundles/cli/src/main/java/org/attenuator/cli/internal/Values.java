package org.attenuator.cli.internal;

/** What the shell completion offers for an option's value or a positional argument. */
public enum Values {
    /** Nothing: the user types it. */
    NONE,
    /** A file name. */
    FILE,
    /** A directory name. */
    DIRECTORY,
    /** A profile: a file name, {@code builtin:NAME} or {@code learned:KEY}. */
    PROFILE,
    /** A profile file or {@code builtin:NAME} (what compile, explain and profile show read). */
    PROFILE_SOURCE,
    /** A learned profile's key. */
    LEARNED_KEY,
    /** A learned profile's key or {@code builtin:NAME} (what profile show reads). */
    KEY_OR_BUILTIN,
    /** A learned profile's key, {@code learned:KEY} or a file (what profile diff and merge read). */
    LEARNED_OR_FILE,
    /** A syscall name of this machine (also after a comma). */
    SYSCALL,
    /** One of the option's {@link Option#choices}. */
    CHOICES,
    /** A program to run, then its own arguments. */
    COMMAND
}
