package org.attenuator.cli.internal;

import org.attenuator.profile.BuiltinProfiles;

/** The options, arguments, help and examples of {@link RunCommand}. */
final class RunSpec {

    /** {@code --deny-log[=FILE]}, also an option of {@code agent}. */
    static final Option DENY_LOG = Option.optionalValue(RunCommand.DENY_LOG, "FILE", "Write what is denied to a JSON-lines "
            + "file, one object per denial (docs/denylog.md): FILE, or alone HOME/log/denylog.jsonl. In a supervised "
            + "run the profile's errno and kill rules are answered by the supervisor as the kernel would, and logged.")
            .completing(Values.FILE);
    /** {@code --fallback allow|errno:NAME|kill}, also an option of {@code agent}. */
    static final Option FALLBACK = Option.value(RunCommand.FALLBACK, "ACTION", "What the keeper answers for notified "
            + "calls while the supervisor is down: allow, errno:NAME (errno:EPERM) or kill (default: the profile's, "
            + "else errno:EPERM).").choices("allow", "errno:EPERM", "errno:ENOSYS", "kill");

    static final CommandSpec SPEC = CommandSpec.of("run",
                    "run a program under a seccomp profile from its first instruction, or learn its profile")
            .describe("Runs PROGRAM with its first instruction under the profile's filter (default: Docker's "
                    + "default profile); stdin, stdout and stderr pass through, signals are forwarded, and the exit "
                    + "status is the program's (128+N when signal N killed it). Before the program runs: 127 not "
                    + "found, 126 cannot execute, 2 bad arguments or profile, 125 anything else.")
            .describe("The options end at PROGRAM: every word after it is the program's own (attenuator run ls -l); "
                    + "-- before PROGRAM also ends them.")
            .option(Option.value(RunCommand.PROFILE, "PROFILE", "The profile: an OCI/Docker seccomp JSON file, builtin:NAME "
                    + "(built in: " + String.join(", ", BuiltinProfiles.NAMES) + ") or learned:KEY (a profile run "
                    + "--learn stored; kernel-only unless --apply-point).").completing(Values.PROFILE))
            .option(Option.flag(RunCommand.KERNEL_ONLY, "No supervisor: the kernel alone applies the profile, its notify rules "
                    + "become errors (fastest; nothing is logged or learned)."))
            .option(Option.value(RunCommand.AGENT, "SOCKET", "Let the agent listening on SOCKET supervise the program instead of "
                    + "this process (attenuator agent --socket).").completing(Values.FILE))
            .option(Option.optionalValue(RunCommand.LEARN, "KEY", "Learn the program's profile: every syscall is allowed and "
                    + "recorded under KEY (default: the executable's path and SHA-256); a repeat run notifies only "
                    + "what KEY has not learned yet; see attenuator profile."))
            .option(Option.value(RunCommand.ENFORCE_AFTER, "N", "With --learn: once N runs in a row added nothing to KEY, "
                    + "enforce the learned profile instead of learning (kernel-only, or supervised with --apply-point)."))
            .option(DENY_LOG)
            .option(Option.flag(RunCommand.AUDIT, "With --deny-log: allow what the profile would deny, and log it (complain mode, "
                    + "to try a profile on a live program)."))
            .option(Option.value(RunCommand.APPLY_POINT, "SYSCALL,..", "The first call of one of these syscalls ends the "
                    + "program's initialisation: from then on the syscalls a learned profile saw only before it are "
                    + "denied (for example listen for a server).").completing(Values.SYSCALL))
            .option(FALLBACK)
            .options(CapabilityOptions.OPTIONS)
            .option(NamespaceOptions.OPTION)
            .positional("PROGRAM [ARG...]", "The program to run, found on PATH as execvp would, and its arguments.",
                    Values.COMMAND)
            .example("attenuator run ls -l", "ls -l under Docker's default profile.")
            .example("attenuator run --learn=nginx nginx -g 'daemon off;'", "Learn what nginx needs, under the key nginx.")
            .example("attenuator run --profile learned:nginx --apply-point listen nginx -g 'daemon off;'",
                    "Enforce it, with the syscalls seen only while starting denied once nginx listens.")
            .example("attenuator run --deny-log --audit --profile web.json ./server",
                    "Try a profile: log what it would deny, deny nothing.")
            .build();

    private RunSpec() {
    }
}
