package org.attenuator.plugin.fallback.internal;

import java.util.concurrent.CompletableFuture;
import org.attenuator.linux.Fd;

/**
 * A tree the keeper should hold: the supervisor's and the keeper's ids for it, its root pid, its
 * fallback table in the keeper's syntax and where that came from ({@code tree}, {@code policy},
 * {@code default}, {@code keeper}), the metadata handed back after a restart, this plugin's copy of
 * its listener, its slot in the in-flight table (null if every slot was taken), whether the keeper
 * answers it always ({@code KEEP}: no supervisor reads it), and the keeper's first confirmation.
 */
record HeldTree(String custodyId, String treeId, long pid, String spec, String source, String meta, Fd listener,
        InFlightTable.Recorder recorder, boolean kept, CompletableFuture<Void> held) {

    HeldTree(String custodyId, String treeId, long pid, String spec, String source, String meta, Fd listener,
            InFlightTable.Recorder recorder, boolean kept) {
        this(custodyId, treeId, pid, spec, source, meta, listener, recorder, kept, new CompletableFuture<>());
    }

    KeeperRequest.Add add() {
        return new KeeperRequest.Add(custodyId, pid, spec, meta, listener, kept);
    }
}
