package org.attenuator.cli.internal;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every subcommand and action of the distribution documents each option and argument, with an example. */
class HelpTextTest {

    @Test
    void everySpecDescribesItsOptionsAndArgumentsAndHasAnExample() {
        List<CommandSpec> all = new ArrayList<>();
        for (CommandSpec spec : DocsMain.COMMANDS) {
            all.add(spec);
            all.addAll(spec.actions());
        }
        for (CommandSpec spec : all) {
            assertFalse(spec.examples().isEmpty(), spec.name() + ": no example");
            assertFalse(spec.summary().isBlank(), spec.name());
            spec.options().forEach(o -> assertTrue(o.description().endsWith("."), spec.name() + " " + o.name()));
            spec.positionals().forEach(p -> assertTrue(p.description().endsWith("."), spec.name() + " " + p.label()));
        }
    }

    @Test
    void theHelpListsEveryOptionWithItsDescription() {
        for (CommandSpec spec : DocsMain.COMMANDS) {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            HelpText.command("", spec, new PrintStream(bytes, true, StandardCharsets.UTF_8));
            String help = bytes.toString(StandardCharsets.UTF_8).replaceAll("\\s+", " ");
            assertTrue(help.startsWith("usage: attenuator " + spec.name() + " "), help);
            for (Option o : spec.options()) {
                assertTrue(help.contains(o.heading() + " " + o.description()), () -> spec.name() + ": " + o.name() + " in " + help);
            }
        }
    }
}
