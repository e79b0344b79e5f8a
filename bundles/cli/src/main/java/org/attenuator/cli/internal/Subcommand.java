package org.attenuator.cli.internal;

import java.util.List;

/**
 * One {@code attenuator NAME ...} subcommand, registered as a service of the CLI bundle. A
 * subcommand is a thin face: it parses its arguments, calls the services that do the work and
 * prints their result. The Karaf shell uses the same services.
 */
public interface Subcommand {

    /** The word after {@code attenuator}, for example {@code "doctor"}. */
    String name();

    /** The arguments after the name, for the usage line, for example {@code "PROFILE [--arch A]"}. */
    String synopsis();

    /** One sentence for the command list. */
    String summary();

    /**
     * Runs the subcommand.
     *
     * @param args the arguments after the subcommand's name; parse them with {@link Arguments#parse}
     * @return the exit status
     * @throws CommandException for a failure that ends the command with one line on stderr
     */
    int run(List<String> args, Terminal terminal) throws CommandException;
}
