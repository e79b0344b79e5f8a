package org.attenuator.plugin.fallback.internal;

/**
 * A service bound by DS that the keeper link's thread waits for when a tree is handed back: the
 * keeper may hand trees back in the first moments of a supervisor, before its services are bound.
 */
final class Awaited<T> {

    private T value;

    synchronized void set(T v) {
        value = v;
        notifyAll();
    }

    /** Unbinds {@code v}, if it is the one bound. */
    synchronized void unset(T v) {
        if (value == v) {
            value = null;
        }
    }

    /** The bound value, waiting up to {@code millis} for one; null if none came. */
    synchronized T await(long millis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + millis;
        for (long left = millis; value == null && left > 0; left = deadline - System.currentTimeMillis()) {
            wait(left);
        }
        return value;
    }
}
