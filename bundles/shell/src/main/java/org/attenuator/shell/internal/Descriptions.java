package org.attenuator.shell.internal;

/** The descriptions of arguments several commands take, so that their help says the same. */
final class Descriptions {

    /** A tree id argument. */
    static final String TREE_ID = "The tree's id, as seccomp:trees shows it.";

    /** A profile file argument. */
    static final String PROFILE_FILE = "The profile file (OCI / Docker seccomp JSON), or builtin:NAME for a built-in one.";

    /** The {@code --json} option. */
    static final String JSON = "Prints the result as one JSON document for scripts (its shape: docs/json.md).";

    private Descriptions() {
    }
}
