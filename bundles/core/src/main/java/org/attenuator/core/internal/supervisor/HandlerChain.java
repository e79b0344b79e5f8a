package org.attenuator.core.internal.supervisor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.attenuator.core.spi.TreePolicy;

/**
 * An immutable, ordered snapshot of the accepted handlers. A new one replaces the old on every
 * service change; a notification reads the current one once and finishes on it.
 */
final class HandlerChain {

    static final HandlerChain EMPTY = new HandlerChain(new HandlerEntry[0]);

    private final HandlerEntry[] entries;

    private HandlerChain(HandlerEntry[] entries) {
        this.entries = entries;
    }

    static HandlerChain of(Collection<HandlerEntry> handlers) {
        HandlerEntry[] sorted = handlers.toArray(new HandlerEntry[0]);
        Arrays.sort(sorted);
        return new HandlerChain(sorted);
    }

    /**
     * The handlers whose target filter matches a tree and whose properties the tree's policy
     * admits, in chain order.
     */
    HandlerEntry[] forTree(Map<String, ?> treeProperties, TreePolicy policy) {
        List<HandlerEntry> matching = new ArrayList<>(entries.length);
        for (HandlerEntry e : entries) {
            if (e.targets(treeProperties) && policy.admitsHandler(e.properties)) {
                matching.add(e);
            }
        }
        return matching.toArray(new HandlerEntry[0]);
    }

    List<HandlerEntry> entries() {
        return List.of(entries);
    }
}
