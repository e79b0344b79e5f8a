package org.attenuator.launcher;

import java.io.InputStream;
import java.io.PrintStream;

/**
 * The bridge between the plain-Java launcher and the command line that lives inside the framework.
 * The system bundle exports this package; the CLI bundle registers one service of this type.
 */
public interface CommandLine {

    /**
     * Runs one command line to its end.
     *
     * @return the process exit status: 0 success, 2 usage or bad input, others as the command says
     */
    int execute(String[] args, InputStream in, PrintStream out, PrintStream err);
}
