package org.attenuator.cli.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Writes the man page and the completion scripts into a distribution at build time, from the same
 * specs the command line parses with: {@code DIST/man/man1/attenuator.1},
 * {@code DIST/completion/attenuator.bash} and {@code DIST/completion/_attenuator} (zsh).
 */
public final class DocsMain {

    /** Every subcommand of the standalone distribution. */
    static final List<CommandSpec> COMMANDS = List.of(AgentCommand.SPEC, CompileCommand.SPEC, CompletionCommand.SPEC,
            DoctorCommand.SPEC, ExplainCommand.SPEC, ProfileSpec.SPEC, RunSpec.SPEC);

    private DocsMain() {
    }

    /** {@code DocsMain DIST VERSION}. */
    public static void main(String[] args) throws IOException {
        Path dist = Path.of(args[0]);
        write(dist.resolve("man/man1/attenuator.1"), ManPage.render(COMMANDS, args[1]));
        write(dist.resolve("completion/attenuator.bash"), CompletionScript.bash(COMMANDS));
        write(dist.resolve("completion/_attenuator"), CompletionScript.zsh(COMMANDS));
    }

    private static void write(Path file, String text) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, text, StandardCharsets.UTF_8);
    }
}
