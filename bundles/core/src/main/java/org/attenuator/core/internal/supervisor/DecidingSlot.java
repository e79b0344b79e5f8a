package org.attenuator.core.internal.supervisor;

import java.util.concurrent.atomic.AtomicLong;
import org.attenuator.linux.NativeException;

/**
 * Who answers an event loop's current call: the loop's thread, or the watchdog once a handler hung.
 * The only place that ownership changes (as Netty keeps a channel's state compare-and-set in one
 * class): the loop {@link #begin}s a call and {@link #finish}es it, the watchdog
 * {@link #takeOverOverdue takes over} one decided for too long, and exactly one of them wins the
 * compare-and-set from DECIDING and answers.
 *
 * <p>The word is {@code ticket | DECIDING, LOOP or WATCHDOG}, a ticket being the loop's call count
 * shifted left by two (from 1, so no ticket is 0). The loop writes {@link #call} and {@link #since}
 * before it publishes DECIDING for a new ticket, so a watchdog that saw DECIDING for ticket n and
 * then wins the compare-and-set from it knows {@code call} is call n. A call the watchdog took
 * over is never received into again: {@link #renew} gives the loop a fresh one, and the old one
 * stays with its hung handler, whose thread finds it {@linkplain #lost lost}.
 */
final class DecidingSlot {

    private static final long DECIDING = 1, LOOP = 2, WATCHDOG = 3, OWNER_BITS = 3, NEXT_TICKET = 4;

    private final AtomicLong word = new AtomicLong();
    /** Plain: written before the release store of {@link #word}, read after the watchdog's volatile read of it. */
    private long since;
    /** The call the loop receives into; replaced only by {@link #renew}. */
    private volatile PendingCall call;

    DecidingSlot() throws NativeException {
        this.call = new PendingCall(this);
    }

    /** The call the loop receives into now. */
    PendingCall call() {
        return call;
    }

    /**
     * The loop's thread: {@code call} is being decided from {@code now} on (System.nanoTime).
     * Returns the call's ticket, for {@link #finish}. A replacement thread continues the count of
     * the thread before it: it starts after the watchdog's compare-and-set.
     */
    long begin(PendingCall current, long now) {
        long ticket = (word.getPlain() & ~OWNER_BITS) + NEXT_TICKET;
        current.ticket = ticket;
        since = now;
        word.lazySet(ticket | DECIDING); // a release store: publishes the call and since to the watchdog
        return ticket;
    }

    /**
     * The loop's thread: true when the loop answers the call of {@code ticket} (it holds it, or
     * finished it already); false when the watchdog took it over, and the thread must leave the
     * loop without touching it.
     */
    boolean finish(long ticket) {
        return word.compareAndSet(ticket | DECIDING, ticket | LOOP) || word.get() == (ticket | LOOP);
    }

    /** While deciding: whether the watchdog took the call of {@code ticket} over (and answered it). */
    boolean lost(long ticket) {
        return word.get() != (ticket | DECIDING);
    }

    /**
     * The watchdog: takes over the call decided since before {@code now - timeoutNanos}, if there
     * is one, and returns it; the watchdog must then answer it. Null when the loop decides nothing
     * overdue, or finished meanwhile.
     */
    PendingCall takeOverOverdue(long now, long timeoutNanos) {
        long w = word.get();
        if ((w & OWNER_BITS) != DECIDING) {
            return null;
        }
        PendingCall overdue = call;
        if (now - since > timeoutNanos && word.compareAndSet(w, (w & ~OWNER_BITS) | WATCHDOG)) {
            return overdue;
        }
        return null;
    }

    /** The watchdog, after a take-over: the loop's next thread receives into a fresh call. */
    void renew() throws NativeException {
        call = new PendingCall(this);
    }
}
