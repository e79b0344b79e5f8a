package org.attenuator.cli.internal;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.attenuator.core.Executables;
import org.attenuator.core.Launch;
import org.attenuator.core.LaunchException;
import org.attenuator.core.LaunchProfile;
import org.attenuator.plugin.learning.LearnedProfile;
import org.attenuator.plugin.learning.Learning;
import org.attenuator.plugin.learning.LearningListener;
import org.attenuator.plugin.learning.ProfileStore;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** The {@link Learner} over the learning plugin's {@link ProfileStore}; absent with the plugin. */
@Component(service = Learner.class)
public final class LearningRuns implements Learner {

    private static final long LEARNING_END_WAIT_SECONDS = 15;

    private final ProfileStore store;
    private final BundleContext context;

    @Activate
    public LearningRuns(@Reference ProfileStore store, BundleContext context) {
        this.store = store;
        this.context = context;
    }

    @Override
    public LaunchProfile learned(String key, Set<String> caps) throws CommandException {
        LearnedProfile learned = load(key).orElseThrow(() -> CommandException.badInput(
                "no learned profile " + key + " in " + store.directory() + " (see attenuator profile list)"));
        return profileOf(learned, caps);
    }

    @Override
    public Optional<Run> learn(Launch.Builder b, String key, List<String> command, int enforceAfter,
            boolean kernelOnly, Set<String> caps, PrintStream err) throws CommandException {
        String k = key.isEmpty() ? defaultKey(command) : key;
        Optional<LearnedProfile> sofar = load(k);
        if (enforceAfter > 0 && sofar.map(p -> p.settled(enforceAfter)).orElse(false)) {
            LearnedProfile p = sofar.get();
            err.printf("attenuator: %s: %d runs in a row added nothing (>= %d): enforcing the learned profile, "
                    + "kernel-only%n", k, p.runsWithoutChange(), enforceAfter);
            b.profile(profileOf(p, caps));
            if (kernelOnly) {
                b.kernelOnly();
            }
            return Optional.empty();
        }
        if (enforceAfter > 0) {
            err.printf("attenuator: %s: %d of %d runs without change: learning%n", k,
                    sofar.map(LearnedProfile::runsWithoutChange).orElse(0), enforceAfter);
        }
        Learning.launch(b, k, sofar);
        return Optional.of(new ProgressRun(new LearningProgress(err)));
    }

    private Optional<LearnedProfile> load(String key) throws CommandException {
        try {
            return store.load(key);
        } catch (IOException e) {
            throw CommandException.io("learned profile " + key + " in " + store.directory(), e);
        }
    }

    private static LaunchProfile profileOf(LearnedProfile p, Set<String> caps) throws CommandException {
        try {
            return LaunchProfile.read(p.file(), caps);
        } catch (IllegalArgumentException e) {
            throw CommandException.badInput("learned profile " + e.getMessage());
        }
    }

    /** The default learning key of CMD: the executable found as execvp would, and its SHA-256. */
    static String defaultKey(List<String> command) throws CommandException {
        String name = command.get(0);
        Path exe;
        try {
            exe = Executables.find(name, Path.of("").toAbsolutePath(), Optional.ofNullable(System.getenv("PATH")));
        } catch (LaunchException e) {
            throw new CommandException(e.reason() == LaunchException.Reason.NOT_FOUND ? 127 : 126, e.getMessage());
        }
        try {
            return Learning.defaultKey(exe);
        } catch (IOException e) {
            throw new CommandException(126, name + ": cannot read it to compute its learning key: " + e.getMessage());
        }
    }

    /** The progress registered as a {@link LearningListener} while the run is followed. */
    private final class ProgressRun implements Run {
        private final LearningProgress progress;
        private ServiceRegistration<LearningListener> registration;

        ProgressRun(LearningProgress progress) {
            this.progress = progress;
        }

        @Override
        public void follow() {
            registration = context.registerService(LearningListener.class, progress, null);
        }

        @Override
        public void awaitEnd() {
            if (registration != null) {
                progress.awaitEnd(LEARNING_END_WAIT_SECONDS);
            }
        }

        @Override
        public void close() {
            RunCommand.unregister(registration);
        }
    }
}
