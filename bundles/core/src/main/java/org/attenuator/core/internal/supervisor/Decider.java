package org.attenuator.core.internal.supervisor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.attenuator.api.DecidedBy;
import org.attenuator.api.Decision;
import org.attenuator.api.TargetGoneException;
import org.attenuator.core.spi.RoutedDenials;
import org.attenuator.core.spi.TreePolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides one notification: the launcher's own exec, else a denial of the profile's filter routed
 * here for the deny-log (answered as the kernel would have, whatever handlers or pauses say), else
 * a pause, else the handler chain in order until one decides, else the tree policy. Each handler has a time budget; one that throws,
 * overruns or returns null counts as pass and is reported (counted always, logged rate-limited).
 */
final class Decider {

    static final String LAUNCHER = DecidedBy.LAUNCHER;
    static final String PAUSED = DecidedBy.PAUSED;
    static final String UNDECIDED = DecidedBy.UNDECIDED;
    static final String TIMEOUT = DecidedBy.TIMEOUT;
    /** A denial of the profile's filter, notified for the deny-log and answered as the kernel would. */
    static final String PROFILE = DecidedBy.PROFILE;

    /** Hangs of one handler registration before it is taken out of the chain. */
    static final int MAX_HANGS = 3;

    private static final Logger LOG = LoggerFactory.getLogger(Decider.class);

    private final HandlerRegistry registry;
    private volatile long budgetNanos;
    private volatile Decision globalPause;

    Decider(HandlerRegistry registry, long budgetNanos) {
        this.registry = registry;
        this.budgetNanos = budgetNanos;
    }

    /** A changed configuration: from the next handler asked on. */
    void budget(long nanos) {
        budgetNanos = nanos;
    }

    Decision globalPause() {
        return globalPause;
    }

    void pauseAll(Decision answer) {
        globalPause = answer;
    }

    void resumeAll() {
        globalPause = null;
    }

    /**
     * Fills in {@code call.decision} and {@code call.decidedBy}.
     *
     * @throws TargetGoneException if a handler found the target gone: nothing to answer
     */
    void decide(PendingCall call) {
        Tree tree = call.tree;
        if (call.maybeLauncherExec && isLauncherExec(call)) {
            call.decided(Decision.allow(), LAUNCHER);
            return;
        }
        TreePolicy policy = tree.policy(); // read once: a swap affects the next notification
        Optional<RoutedDenials> denials = policy.routedDenials(); // empty: one shared instance, nothing allocated
        if (denials.isPresent()) {
            Decision routed = routedAnswer(denials.get(), call);
            if (routed != null) {
                call.decided(routed, PROFILE);
                return;
            }
        }
        Decision paused = tree.pausedWith();
        if (paused == null) {
            paused = globalPause;
        }
        if (paused != null) {
            tree.counters.paused.increment();
            call.decided(paused, PAUSED);
            return;
        }
        String name = call.syscall.name();
        call.phase = tree.phaseFor(name, policy);
        String program = null;
        if (policy.dependsOnExecutable(name)) {
            program = runningProgram(call);
            call.handlerStart = System.nanoTime(); // reading /proc is not the first handler's time
        }
        call.undecided(policy.decisionFor(name, call.phase, program));
        for (HandlerEntry entry : tree.handlersOf(registry.chain(), policy)) {
            if (entry.wants(name)) {
                Decision d = ask(entry, call);
                if (call.abandoned()) {
                    return; // a handler hung past the timeout; the watchdog answered meanwhile
                }
                if (!d.isPass()) {
                    call.decided(d, entry.name);
                    return;
                }
            }
        }
        call.decided(call.undecided, UNDECIDED);
    }

    /**
     * The program the caller runs now, as the kernel records it ({@code /proc/PID/exe}, PID being
     * the calling thread), or null if unreadable. Confirmed with ID_VALID afterwards: only then is
     * PID still the caller and not a reused pid.
     *
     * @throws TargetGoneException if the notification is no longer pending
     */
    static String runningProgram(PendingCall call) {
        String program;
        try {
            program = Files.readSymbolicLink(Path.of("/proc", Long.toString(call.pid()), "exe")).toString();
        } catch (IOException | UnsupportedOperationException e) {
            program = null;
        }
        if (!call.stillWaits()) {
            throw new TargetGoneException("pid " + call.pid() + " no longer waits");
        }
        return program;
    }

    /** The kernel filter's answer to a routed denial, run on the registers the kernel's filter saw; null otherwise. */
    private static Decision routedAnswer(RoutedDenials denials, PendingCall call) {
        long[] args = new long[6];
        for (int i = 0; i < args.length; i++) {
            args[i] = call.arg(i);
        }
        return denials.answerFor(call.notification.arch(), call.notification.nr(), call.instructionPointer(), args);
    }

    /** The announced launcher's first syscall is its exec of the target; anything else is not. */
    private static boolean isLauncherExec(PendingCall call) {
        String name = call.syscall.name();
        return (name.equals("execve") || name.equals("execveat")) && call.pid() == call.tree.pid();
    }

    private Decision ask(HandlerEntry entry, PendingCall call) {
        Decision d;
        long elapsed;
        call.asking(entry);
        try {
            d = entry.handler.handle(call, call);
        } catch (TargetGoneException gone) {
            throw gone;
        } catch (RuntimeException | LinkageError | AssertionError e) {
            if (!call.abandoned()) { // else the watchdog reported it already
                fault(entry, call, "threw " + e, e);
            }
            return Decision.pass();
        } finally {
            call.asking(null);
            long end = System.nanoTime();
            elapsed = end - call.handlerStart;
            call.handlerStart = end; // the next handler's start
        }
        if (call.abandoned()) {
            return Decision.pass(); // the watchdog answered and reported it
        }
        if (d == null) {
            fault(entry, call, "returned null", null);
            return Decision.pass();
        }
        if (elapsed > budgetNanos) {
            fault(entry, call, "took " + elapsed / 1000 + " us, over its budget of " + budgetNanos / 1000 + " us", null);
            return Decision.pass();
        }
        return d;
    }

    /** A handler hung: after {@link #MAX_HANGS} hangs of one registration it leaves the chain. */
    void hung(HandlerEntry entry) {
        if (entry.hangs.incrementAndGet() == MAX_HANGS) {
            registry.quarantine(entry, "did not return " + MAX_HANGS + " times within the handler timeout"
                    + " (each hang holds a thread); modify or re-register the service to bring it back");
        }
    }

    static void fault(HandlerEntry entry, PendingCall call, String what, Throwable cause) {
        entry.faults.increment();
        call.tree.counters.handlerFaults.increment();
        if (entry.faultLog.allow()) {
            LOG.warn("handler {} {} on {} of {}; counted as pass (further faults of it are only counted for a while)",
                    entry.name, what, call.syscall, call.tree, cause);
        }
    }
}
