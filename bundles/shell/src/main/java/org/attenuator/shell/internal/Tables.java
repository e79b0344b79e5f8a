package org.attenuator.shell.internal;

import java.io.PrintStream;
import org.apache.karaf.shell.support.table.ShellTable;

/** The tables the listing commands print: columns in order, and their {@code --no-format} for scripts. */
final class Tables {

    /** The description of every listing command's {@code --no-format} option. */
    static final String NO_FORMAT = "Prints the table without header, borders or alignment, for scripts.";

    private Tables() {
    }

    /** An empty table with these columns, left to right. */
    static ShellTable withColumns(String... columns) {
        ShellTable table = new ShellTable();
        for (String column : columns) {
            table.column(column);
        }
        return table;
    }

    /** Prints the table, formatted unless the command's {@code --no-format} was given. */
    static void print(ShellTable table, PrintStream out, boolean noFormat) {
        table.print(out, !noFormat);
    }
}
