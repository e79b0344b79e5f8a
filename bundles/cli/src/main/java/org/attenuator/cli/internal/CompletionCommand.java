package org.attenuator.cli.internal;

import java.io.PrintStream;
import java.util.List;

/**
 * {@code attenuator completion bash|zsh}: prints the completion script for the subcommands this
 * command line has now. The command line answers it itself: it needs every subcommand's spec.
 */
final class CompletionCommand {

    static final CommandSpec SPEC = CommandSpec.of("completion", "print the shell completion script (bash or zsh)")
            .describe("The script completes subcommands, their options, file names, built-in profiles (builtin:NAME), "
                    + "learned keys (learned:KEY) and syscall names. The distribution also carries it, generated at "
                    + "build time: completion/attenuator.bash and completion/_attenuator.")
            .positional("SHELL", "bash or zsh.", "bash", "zsh")
            .example("source <(attenuator completion bash)", "Completion in this bash session (or put it in ~/.bashrc).")
            .example("attenuator completion zsh > \"${fpath[1]}/_attenuator\"", "Completion for zsh, from the next "
                    + "session on.")
            .build();

    private CompletionCommand() {
    }

    static int run(Arguments args, List<CommandSpec> specs, PrintStream out) throws CommandException {
        String shell = args.positionals().get(0);
        switch (shell) {
            case "bash" -> out.print(CompletionScript.bash(specs));
            case "zsh" -> out.print(CompletionScript.zsh(specs));
            default -> throw CommandException.badInput("no completion for shell '" + shell + "' (bash or zsh)");
        }
        return 0;
    }
}
