package org.attenuator.shell.internal;

import java.util.Optional;

/** The {@code <id> | --all} choice that pause and resume share: exactly one of the two. */
final class TreeSelection {

    private TreeSelection() {
    }

    /** The tree id, or empty for --all. */
    static Optional<String> of(String treeId, boolean all) {
        if (all == (treeId != null)) {
            throw new IllegalArgumentException("give a tree id or --all (one of the two)");
        }
        return Optional.ofNullable(treeId);
    }
}
