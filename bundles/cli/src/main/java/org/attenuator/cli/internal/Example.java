package org.attenuator.cli.internal;

/**
 * An example of a subcommand, shown by its help and in the man page.
 *
 * @param command what the user types, starting with {@code attenuator}
 * @param what what it does, one sentence
 */
public record Example(String command, String what) {
}
