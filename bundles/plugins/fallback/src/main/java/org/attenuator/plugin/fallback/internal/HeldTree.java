package org.attenuator.plugin.fallback.internal;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
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

    /**
     * Returns once the keeper holds the tree ({@link #held}).
     *
     * @param failed why it cannot be held now (polled), or null while there is hope
     * @param timedOut why, once {@code nanos} passed
     */
    void await(long nanos, Supplier<String> failed, Supplier<String> timedOut) throws IOException {
        for (long deadline = System.nanoTime() + nanos; ; ) {
            try {
                held.get(20, TimeUnit.MILLISECONDS);
                return;
            } catch (TimeoutException e) {
                String why = failed.get();
                if (why == null && System.nanoTime() - deadline > 0) {
                    why = timedOut.get();
                }
                if (why != null) {
                    throw new IOException(why);
                }
            } catch (ExecutionException e) {
                throw new IOException(e.getCause().getMessage(), e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted waiting for the keeper");
            }
        }
    }

    KeeperRequest.Add add() {
        return new KeeperRequest.Add(custodyId, pid, spec, meta, listener, kept);
    }
}
