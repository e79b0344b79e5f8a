package org.attenuator.cli.internal;

import java.io.InputStream;
import java.io.PrintStream;

/** The standard streams of the process that runs the command line. */
public record Terminal(InputStream in, PrintStream out, PrintStream err) {
}
