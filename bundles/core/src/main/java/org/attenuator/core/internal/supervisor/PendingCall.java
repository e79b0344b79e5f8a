package org.attenuator.core.internal.supervisor;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import org.attenuator.api.ArgumentReader;
import org.attenuator.api.Decision;
import org.attenuator.api.HandlerContext;
import org.attenuator.api.SupervisedTree;
import org.attenuator.api.Syscall;
import org.attenuator.api.SyscallEvent;
import org.attenuator.core.spi.InFlightRecorder;
import org.attenuator.linux.NativeException;
import org.attenuator.linux.Notification;

/**
 * A received notification on its way through the chain to its answer. Each event loop owns one and
 * reuses it for every notification it receives, decides and answers, so the hot path allocates
 * nothing. Valid as an event only while a handler runs.
 */
final class PendingCall implements SyscallEvent, HandlerContext {

    final Notification notification;
    Tree tree;
    Syscall syscall;
    /** The tree's first notification, when the tree may still owe the launcher its exec. */
    boolean maybeLauncherExec;

    Phase phase;
    /**
     * When the handler being asked started (System.nanoTime): the loop's receive time, then the
     * previous handler's end, so that timing a chain reads the clock once per handler.
     */
    long handlerStart;
    /**
     * The handler being asked now, for the watchdog's report; null between handlers. Written with
     * release stores ({@link #asking(HandlerEntry)}): a volatile store is a full fence, twice per
     * handler on the hot path, and the watchdog's volatile read needs no more than release.
     */
    volatile HandlerEntry asking;
    /** The watchdog answers with it when a handler hangs; written like {@link #asking}. */
    volatile Decision undecided;
    Decision decision;
    String decidedBy;
    /** Where the event loop recorded this call for the custodian, and its entry; cleared after the answer. */
    InFlightRecorder recorder = InFlightRecorder.NONE;
    int recorded = -1;

    /** Who answers this call: the loop's thread, or the watchdog once a handler hung. */
    private final DecidingSlot slot;
    /** This call's ticket in {@link #slot}; written by the loop's thread, read by it only. */
    long ticket;

    private static final VarHandle ASKING, UNDECIDED;
    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            ASKING = lookup.findVarHandle(PendingCall.class, "asking", HandlerEntry.class);
            UNDECIDED = lookup.findVarHandle(PendingCall.class, "undecided", Decision.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    PendingCall(DecidingSlot slot) throws NativeException {
        this.slot = slot;
        this.notification = new Notification();
    }

    void asking(HandlerEntry entry) {
        ASKING.setRelease(this, entry);
    }

    void undecided(Decision d) {
        UNDECIDED.setRelease(this, d);
    }

    void decided(Decision d, String by) {
        decision = d;
        decidedBy = by;
    }

    /**
     * True once the watchdog answered this call because a handler hung: the loop's stuck thread
     * then stops asking handlers, and the loop never receives into it again.
     */
    boolean abandoned() {
        return slot.lost(ticket);
    }

    void clear() {
        asking(null);
        tree = null;
        syscall = null;
        maybeLauncherExec = false;
        phase = null;
        undecided(null);
        decision = null;
        decidedBy = null;
        recorder = InFlightRecorder.NONE;
        recorded = -1;
    }

    @Override
    public long id() {
        return notification.id();
    }

    @Override
    public SupervisedTree tree() {
        return tree;
    }

    @Override
    public long pid() {
        return notification.pid();
    }

    @Override
    public Syscall syscall() {
        return syscall;
    }

    @Override
    public long arg(int index) {
        return notification.arg(index);
    }

    @Override
    public long instructionPointer() {
        return notification.instructionPointer();
    }

    /** True while the caller still waits for this answer (ID_VALID); a failed check counts as gone. */
    boolean stillWaits() {
        try {
            return tree.listener.isIdValid(notification.id());
        } catch (NativeException e) {
            return false;
        }
    }

    /** Made on demand: most handlers decide on registers and never read memory. */
    @Override
    public ArgumentReader reader() {
        return new CheckedArgumentReader(tree.listener, notification.id(), notification.pid());
    }

    @Override
    public Phase phase() {
        return phase;
    }

    @Override
    public Decision undecided() {
        return undecided;
    }
}
