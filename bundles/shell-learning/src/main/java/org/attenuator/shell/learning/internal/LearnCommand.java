package org.attenuator.shell.learning.internal;

import java.io.PrintStream;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.attenuator.shell.console.OutputPump;
import org.attenuator.shell.console.Available;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.Session;
import org.attenuator.core.Launch;
import org.attenuator.core.LaunchedProcess;
import org.attenuator.core.Launcher;
import org.attenuator.plugin.learning.LearnedProfile;
import org.attenuator.plugin.learning.LearnedSyscall;
import org.attenuator.plugin.learning.Learning;
import org.attenuator.plugin.learning.LearningListener;
import org.attenuator.plugin.learning.MergeResult;
import org.attenuator.plugin.learning.ProfileStore;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;

/**
 * {@code seccomp:learn --key KEY -- CMD ARGS}: runs CMD in learning mode, as {@code attenuator run
 * --learn KEY -- CMD}: the learning filter allows {@link Learning#BASE} in the kernel and notifies
 * everything else, which the learning handler allows and records under KEY; when the tree ends
 * what it learned is merged into the store.
 */
@Service
@Command(scope = "seccomp", name = "learn",
        description = "Runs a program in learning mode: every syscall it makes is allowed and recorded under the key; "
                + "when it ends the learned profile is updated (see seccomp:profiles). Its output goes to this console; "
                + "Ctrl-C kills it.")
public class LearnCommand implements Action {

    /** How long the learning handler may take to merge a run after its tree ended (as the CLI). */
    private static final long END_WAIT_SECONDS = 15;

    @Reference(optional = true)
    private Launcher launcher;

    @Reference(optional = true)
    private ProfileStore store;

    @Reference
    private BundleContext context;

    @Reference
    private Session session;

    @Option(name = "--key", required = true,
            description = "The learning key the profile is stored under; learning again under a key adds to its profile.")
    @Completion(ProfileKeyCompleter.class)
    private String key;

    // Karaf stops reading options at the first argument but has no "--" of its own (as seccomp:launch).
    @Option(name = "--", description = "Ends the options: the program and its arguments follow.")
    private boolean endOfOptions;

    @Argument(index = 0, name = "command", required = true, multiValued = true,
            description = "The program and its arguments (after --); their own options stay theirs.")
    private List<String> command;

    @Override
    public Object execute() throws Exception {
        Launcher launch = Available.service(launcher, Launcher.class);
        ProfileStore profiles = Available.service(store, ProfileStore.class);
        if (key.isBlank()) {
            throw new IllegalArgumentException("--key must not be empty");
        }
        PrintStream console = session.getConsole();
        Progress progress = new Progress(key, console);
        ServiceRegistration<LearningListener> registration =
                context.registerService(LearningListener.class, progress, null);
        Optional<LearnedProfile> sofar = profiles.load(key);
        Launch learning = Learning.launch(Launch.command(command), key, sofar).stdio(Launch.Stdio.PIPE).build();
        try (LaunchedProcess target = launch.launch(learning)) {
            String tree = target.treeId().orElseThrow(
                    () -> new IllegalStateException("the launcher gave the learning run no tree"));
            progress.follow(tree);
            console.println("pid " + target.pid() + ", tree " + tree + ", learning " + key);
            target.process().getOutputStream().close();
            Thread out = OutputPump.start(target.process().getInputStream(), console);
            Thread err = OutputPump.start(target.process().getErrorStream(), console);
            int status = target.waitFor();
            out.join();
            err.join();
            if (status != 0) {
                console.println("exit status " + status);
            }
            MergeResult result = progress.end(END_WAIT_SECONDS);
            LearnedProfile p = result.profile();
            console.printf("learned %s: %d syscalls (%d new), run %d, %d run(s) in a row without change; %s%n",
                    key, p.syscalls().size(), result.added().size(), p.runs(), p.runsWithoutChange(), p.file());
        } finally {
            try {
                registration.unregister();
            } catch (IllegalStateException alreadyGone) {
                // this bundle is stopping
            }
        }
        return null;
    }


    /**
     * Shows what the run learns as it goes, and hands over the merge at its end. The listener
     * sees every learning run; it keeps to this key and, once the launch named it, to this tree.
     */
    static final class Progress implements LearningListener {
        private final String key;
        private final PrintStream console;
        private final CompletableFuture<String> tree = new CompletableFuture<>();
        /** The merge at the end of each run on this key, by tree: a short run may end before the launch returns. */
        private final ConcurrentHashMap<String, CompletableFuture<MergeResult>> ended = new ConcurrentHashMap<>();

        Progress(String key, PrintStream console) {
            this.key = key;
            this.console = console;
        }

        void follow(String treeId) {
            tree.complete(treeId);
        }

        private boolean mine(String eventKey, String treeId) {
            // Until the launch returns, the tree id is unknown; another run on this key at that very moment is rare.
            return key.equals(eventKey) && tree.getNow(treeId).equals(treeId);
        }

        @Override
        public void started(String eventKey, String treeId, Optional<LearnedProfile> sofar) {
            if (mine(eventKey, treeId)) {
                console.println("learning " + key + ": " + sofar.map(p -> p.syscalls().size()
                        + " syscalls known from " + p.runs() + " run(s), allowed without asking; only new calls are notified")
                        .orElse("first run"));
            }
        }

        @Override
        public void learned(String eventKey, String treeId, LearnedSyscall syscall) {
            if (mine(eventKey, treeId)) {
                console.println("learned " + syscall);
            }
        }

        @Override
        public void ended(String eventKey, String treeId, MergeResult result) {
            if (key.equals(eventKey)) {
                endOf(treeId).complete(result);
            }
        }

        private CompletableFuture<MergeResult> endOf(String treeId) {
            return ended.computeIfAbsent(treeId, t -> new CompletableFuture<>());
        }

        /** The merge of the followed tree's run, waiting up to {@code seconds} for it. */
        MergeResult end(long seconds) throws InterruptedException {
            try {
                return endOf(tree.getNow("")).get(seconds, TimeUnit.SECONDS);
            } catch (TimeoutException e) {
                throw new IllegalStateException("the learning run of " + key + " did not end within " + seconds
                        + " s; what it learned so far is merged when its tree ends");
            } catch (ExecutionException e) {
                throw new IllegalStateException(e.getCause());
            }
        }
    }
}
