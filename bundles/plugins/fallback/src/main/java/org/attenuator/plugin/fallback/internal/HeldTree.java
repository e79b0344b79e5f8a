package org.attenuator.plugin.fallback.internal;

import org.attenuator.linux.Fd;

/**
 * A tree the keeper should hold: the supervisor's and the keeper's ids for it, its root pid, its
 * fallback table in the keeper's syntax and where that came from ({@code tree}, {@code policy},
 * {@code default}, {@code keeper}), the metadata handed back after a restart, this plugin's copy of
 * its listener, and its slot in the in-flight table (null if every slot was taken).
 */
record HeldTree(String custodyId, String treeId, long pid, String spec, String source, String meta, Fd listener,
        InFlightTable.Recorder recorder) {

    KeeperRequest.Add add() {
        return new KeeperRequest.Add(custodyId, pid, spec, meta, listener);
    }
}
