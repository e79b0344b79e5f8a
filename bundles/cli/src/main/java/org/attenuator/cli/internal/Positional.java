package org.attenuator.cli.internal;

import java.util.List;

/**
 * A positional argument of a subcommand.
 *
 * @param label its name in the usage, for example {@code PROFILE}
 * @param description one sentence for the help and the man page
 * @param values what the shell completes for it
 * @param choices the words {@link Values#CHOICES} completes
 */
public record Positional(String label, String description, Values values, List<String> choices) {

    public Positional {
        choices = List.copyOf(choices);
    }
}
