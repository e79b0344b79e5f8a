package org.attenuator.shell.console;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.apache.karaf.shell.support.table.ShellTable;

/**
 * A table the listing commands print: for people, Karaf's bordered table with a header; with
 * {@code --no-format}, for scripts, one line per row and its cells as they are, separated by
 * tabs, with no header, no padding and no borders. A tab or line break inside a cell becomes a
 * space, so that every row stays one line with the same number of fields.
 *
 * @since 0.2.0
 */
public final class ConsoleTable {

    /** The description of every listing command's {@code --no-format} option. */
    public static final String NO_FORMAT = "Prints one line per row, its cells separated by tabs, without header,"
            + " borders or padding, for scripts.";

    private final List<String> columns;
    private final List<List<String>> rows = new ArrayList<>();

    public ConsoleTable(String... columns) {
        this.columns = List.of(columns);
    }

    /** Adds a row of as many cells as there are columns; a null cell prints as an empty one. */
    public ConsoleTable row(Object... cells) {
        if (cells.length != columns.size()) {
            throw new IllegalArgumentException("expected " + columns.size() + " cells, got " + cells.length);
        }
        List<String> row = new ArrayList<>(cells.length);
        for (Object cell : cells) {
            row.add(Objects.toString(cell, "").replaceAll("[\\t\\r\\n]", " "));
        }
        rows.add(row);
        return this;
    }

    public void print(PrintStream out, boolean noFormat) {
        if (noFormat) {
            // Karaf's own unformatted table still pads every cell to its column's width.
            rows.forEach(row -> out.println(String.join("\t", row)));
            return;
        }
        ShellTable table = new ShellTable();
        columns.forEach(table::column);
        rows.forEach(row -> table.addRow().addContent(new ArrayList<Object>(row)));
        table.print(out, true);
    }
}
