package org.attenuator.shell.internal;

import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import org.attenuator.shell.console.Available;
import org.attenuator.core.Supervisor;

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

    /**
     * Checks the choice, then the supervisor, and acts: {@code one} on the tree, or {@code every} for --all.
     *
     * @param supervisor the command's optional reference (see {@link Available})
     */
    static void apply(String treeId, boolean all, Supervisor supervisor, BiConsumer<Supervisor, String> one,
            Consumer<Supervisor> every) {
        Optional<String> tree = of(treeId, all);
        Supervisor running = Available.service(supervisor, Supervisor.class);
        tree.ifPresentOrElse(id -> one.accept(running, id), () -> every.accept(running));
    }
}
