package org.attenuator.shell.internal;

import org.attenuator.core.spi.TreeStatus;

/** How the commands word whether a tree's handlers run. */
final class TreeState {

    private TreeState() {
    }

    static String of(TreeStatus tree) {
        return tree.pausedWith().map(answer -> "paused, answering " + answer).orElse("supervised");
    }
}
