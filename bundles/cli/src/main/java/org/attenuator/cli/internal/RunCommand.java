package org.attenuator.cli.internal;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.attenuator.core.Launch;
import org.attenuator.core.LaunchException;
import org.attenuator.core.LaunchProfile;
import org.attenuator.core.LaunchedProcess;
import org.attenuator.core.Launcher;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * {@code attenuator run [--profile FILE] [--kernel-only] [--agent SOCKET] -- CMD [ARG...]}: runs CMD
 * with its first instruction under the profile's filter; stdin, stdout and stderr pass through,
 * SIGINT and SIGTERM are forwarded, and the status is CMD's (128 + N when signal N killed it).
 * Failures before CMD runs: 127 not found, 126 cannot execute, 2 bad arguments or profile,
 * 125 anything else (no supervisor, agent gone, attenuator-exec failing).
 */
@Component(service = Subcommand.class)
public final class RunCommand implements Subcommand {

    static final String PROFILE = "--profile", KERNEL_ONLY = "--kernel-only", AGENT = "--agent";

    private final Launcher launcher;

    @Activate
    public RunCommand(@Reference Launcher launcher) {
        this.launcher = launcher;
    }

    @Override
    public String name() {
        return "run";
    }

    @Override
    public String synopsis() {
        return "[--profile FILE] [--kernel-only] [--agent SOCKET] -- CMD [ARG...]";
    }

    @Override
    public String summary() {
        return "run CMD under a seccomp profile (default: Docker's) from its first instruction; exit status is CMD's";
    }

    @Override
    public int run(List<String> args, Terminal terminal) throws CommandException {
        Launch launch = parse(args);
        LaunchedProcess process;
        try {
            process = launcher.launch(launch);
        } catch (LaunchException e) {
            throw new CommandException(e.status(), e.getMessage());
        }
        try (process; SignalForwarder forwarding = SignalForwarder.install(process::signal)) {
            return process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CommandException(130, "interrupted while waiting for " + launch.argv().get(0));
        }
    }

    /** The launch the arguments describe; usage errors and bad profiles exit 2. */
    static Launch parse(List<String> args) throws CommandException {
        Arguments a = Arguments.parse(args, Set.of(PROFILE, AGENT), Set.of(KERNEL_ONLY));
        List<String> command = a.hasCommand() ? a.command() : a.positionals();
        if (a.hasCommand()) {
            a.atMostPositionals(0);
        }
        if (command.isEmpty() || command.get(0).isEmpty()) {
            throw CommandException.badInput("no command: attenuator run [options] -- CMD [ARG...]");
        }
        Launch.Builder b = Launch.command(command);
        if (a.flag(KERNEL_ONLY) && a.option(AGENT).isPresent()) {
            throw CommandException.badInput(KERNEL_ONLY + " and " + AGENT + " exclude each other");
        }
        if (a.flag(KERNEL_ONLY)) {
            b.kernelOnly();
        }
        a.option(AGENT).ifPresent(s -> b.agent(Path.of(s)));
        if (a.option(PROFILE).isPresent()) {
            String ref = a.option(PROFILE).get();
            if (ref.startsWith("learned:")) {
                throw CommandException.badInput(PROFILE + " " + ref + ": learned profiles are not available yet");
            }
            try {
                b.profile(LaunchProfile.read(Path.of(ref)));
            } catch (IllegalArgumentException e) {
                throw CommandException.badInput("profile " + e.getMessage());
            }
        }
        return b.build();
    }
}
