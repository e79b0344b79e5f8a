package org.attenuator.core.internal.supervisor;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.LongAdder;
import org.attenuator.linux.Epoll;
import org.attenuator.linux.EventFd;
import org.attenuator.linux.NativeException;
import org.attenuator.linux.NotifyListener;
import org.attenuator.linux.TargetGoneException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one thread that owns epoll and every listener registration (Netty's event-loop discipline):
 * on readiness it receives the notification into a pooled {@link PendingCall} and queues it for
 * the workers; on HUP it ends the tree. Other threads only queue tasks and wake it through an
 * eventfd. Registrations are looked up by cookie (the tree's sequence number), never by fd
 * number, so a reused fd number cannot be confused with an old tree.
 */
final class Multiplexer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Multiplexer.class);
    private static final long WAKEUP_COOKIE = 0;

    private final Epoll epoll;
    private final EventFd wakeup;
    private final Epoll.Events events = new Epoll.Events(256);
    private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    /** Loop thread only. */
    private final Map<Long, Tree> registered = new HashMap<>();
    private final BlockingQueue<PendingCall> idle;
    private final BlockingQueue<PendingCall> ready;
    private final SyscallCatalog catalog = new SyscallCatalog();
    private final LongAdder notifications = new LongAdder();
    private final Thread thread;
    private volatile boolean running = true;
    private volatile boolean syncWakeUp = true;

    Multiplexer(BlockingQueue<PendingCall> idle, BlockingQueue<PendingCall> ready) throws NativeException {
        this.idle = idle;
        this.ready = ready;
        this.epoll = Epoll.create();
        boolean success = false;
        try {
            this.wakeup = EventFd.create(0, EventFd.NONBLOCK);
            epoll.add(wakeup, Epoll.IN, WAKEUP_COOKIE);
            success = true;
        } finally {
            if (!success) {
                epoll.close();
            }
        }
        this.thread = new Thread(this::loop, "attenuator-epoll");
        thread.setDaemon(true);
        thread.start();
    }

    long notifications() {
        return notifications.sum();
    }

    /** Whether listeners get USER_NOTIF_FD_SYNC_WAKE_UP (false once the kernel refused it). */
    boolean syncWakeUp() {
        return syncWakeUp;
    }

    /** Adds a tree's listener to epoll; returns once the loop thread did it. */
    void register(Tree tree) throws IOException {
        CompletableFuture<Void> done = new CompletableFuture<>();
        submit(() -> {
            try {
                setSyncWakeUp(tree.listener);
                epoll.add(tree.listener, Epoll.IN, tree.sequence);
                registered.put(tree.sequence, tree);
                done.complete(null);
            } catch (NativeException | RuntimeException e) {
                done.completeExceptionally(e);
            }
        });
        try {
            done.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while registering " + tree, e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
        }
    }

    private void submit(Runnable task) {
        tasks.add(task);
        try {
            wakeup.signal(1);
        } catch (NativeException e) {
            throw new IllegalStateException("cannot wake the epoll thread: " + e.getMessage(), e);
        }
    }

    private void setSyncWakeUp(NotifyListener listener) {
        if (!syncWakeUp) {
            return;
        }
        try {
            listener.setFlags(NotifyListener.USER_NOTIF_FD_SYNC_WAKE_UP);
        } catch (NativeException e) {
            syncWakeUp = false;
            LOG.info("listeners run without USER_NOTIF_FD_SYNC_WAKE_UP (needs Linux 6.6): {}", e.getMessage());
        }
    }

    private void loop() {
        try {
            while (running) {
                int n = epoll.wait(events, -1);
                for (int i = 0; i < n; i++) {
                    long cookie = events.cookie(i);
                    if (cookie == WAKEUP_COOKIE) {
                        wakeup.drain();
                        runTasks();
                        continue;
                    }
                    Tree tree = registered.get(cookie);
                    if (tree == null) {
                        continue; // ended earlier in this batch
                    }
                    int ready = events.events(i);
                    if ((ready & (Epoll.HUP | Epoll.ERR)) != 0) {
                        end(tree);
                    } else if ((ready & Epoll.IN) != 0) {
                        receive(tree);
                    }
                }
            }
        } catch (NativeException e) {
            LOG.error("the epoll loop failed; supervision stopped", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            registered.values().forEach(Tree::end);
            registered.clear();
        }
    }

    private void runTasks() {
        Runnable task;
        while ((task = tasks.poll()) != null) {
            task.run();
        }
    }

    /** Waits for a free call when every call is in flight: the workers' backlog holds the targets. */
    private void receive(Tree tree) throws InterruptedException {
        PendingCall call = idle.take();
        try {
            tree.listener.receive(call.notification);
        } catch (TargetGoneException e) {
            tree.counters.targetGone.increment();
            idle.add(call);
            return;
        } catch (NativeException e) {
            tree.counters.errors.increment();
            if (tree.errorLog.allow()) {
                LOG.warn("{}: {}", tree, e.getMessage());
            }
            idle.add(call);
            return;
        }
        call.tree = tree;
        call.recorder = tree.recorder; // custody (fallback keeper)
        call.recorded = call.recorder.received(call.notification.id(), call.notification.nr(),
                call.notification.arch(), call.notification.pid());
        call.syscall = catalog.resolve(call.notification.arch(), call.notification.nr());
        call.maybeLauncherExec = tree.takeLauncherExecTurn();
        tree.counters.notifications.increment();
        notifications.increment();
        tree.enter();
        ready.add(call);
    }

    private void end(Tree tree) {
        registered.remove(tree.sequence);
        try {
            epoll.delete(tree.listener);
        } catch (NativeException e) {
            LOG.debug("{}: {}", tree, e.getMessage());
        }
        tree.end();
    }

    /** Stops the loop; every tree still registered ends (its listener closes). */
    @Override
    public void close() {
        running = false;
        submit(() -> { });
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            wakeup.close();
            epoll.close();
        } catch (NativeException e) {
            LOG.warn("closing the epoll loop: {}", e.getMessage());
        }
    }
}
