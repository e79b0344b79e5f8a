package org.attenuator.cli.internal;

/**
 * One {@code attenuator NAME ...} subcommand, registered as a service of the CLI bundle. A
 * subcommand is a thin face: it declares its options in its {@link CommandSpec}, calls the services
 * that do the work and prints their result. The Karaf shell uses the same services.
 */
public interface Subcommand {

    /** The name, options, arguments, help text and examples: the only place they are declared. */
    CommandSpec spec();

    /**
     * Runs the subcommand.
     *
     * @param args the arguments after the name, already parsed against {@link #spec()}
     * @return the exit status
     * @throws CommandException for a failure that ends the command with one line on stderr
     */
    int run(Arguments args, Terminal terminal) throws CommandException;
}
