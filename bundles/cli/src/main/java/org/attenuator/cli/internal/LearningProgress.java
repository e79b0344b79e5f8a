package org.attenuator.cli.internal;

import java.io.PrintStream;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.attenuator.plugin.learning.LearnedProfile;
import org.attenuator.plugin.learning.LearnedSyscall;
import org.attenuator.plugin.learning.LearningListener;
import org.attenuator.plugin.learning.MergeResult;

/** Shows a learning run's progress on stderr and waits for its end. */
final class LearningProgress implements LearningListener {
    private final PrintStream err;
    private final CountDownLatch ended = new CountDownLatch(1);
    private final AtomicInteger count = new AtomicInteger();

    LearningProgress(PrintStream err) {
        this.err = err;
    }

    @Override
    public void started(String key, String treeId, Optional<LearnedProfile> sofar) {
        count.set(sofar.map(p -> p.syscalls().size()).orElse(0));
        err.printf("attenuator: learning %s: %s%n", key, sofar.map(p -> p.syscalls().size() + " syscalls known from "
                + p.runs() + " run(s), allowed without asking; only new calls are notified").orElse("first run"));
        err.flush();
    }

    @Override
    public void learned(String key, String treeId, LearnedSyscall syscall) {
        err.printf("attenuator: learned %s (%d so far)%n", syscall, count.incrementAndGet());
        err.flush();
    }

    @Override
    public void ended(String key, String treeId, MergeResult result, long notifiedCalls) {
        LearnedProfile p = result.profile();
        err.printf("attenuator: learned %s: %d syscalls (%d new), run %d, %d run(s) in a row without change, "
                + "%d calls notified; %s%n", key, p.syscalls().size(), result.added().size(), p.runs(),
                p.runsWithoutChange(), notifiedCalls, p.file());
        err.flush();
        ended.countDown();
    }

    void awaitEnd(long seconds) {
        try {
            if (!ended.await(seconds, TimeUnit.SECONDS)) {
                err.println("attenuator: the learning run did not end within " + seconds + " s; what it learned so far"
                        + " is merged when the framework stops");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
