package org.attenuator.shell.internal;

import org.apache.karaf.shell.support.table.ShellTable;
import org.attenuator.core.DoctorReport;

/** The FEATURE / AVAILABLE / DETAIL table of a {@link DoctorReport}, with the standalone command's wording. */
final class DoctorTable {

    private DoctorTable() {
    }

    static ShellTable of(DoctorReport report) {
        ShellTable table = new ShellTable();
        table.column("FEATURE");
        table.column("AVAILABLE");
        table.column("DETAIL");
        for (DoctorReport.Check check : report.checks()) {
            table.addRow().addContent(check.name(), available(check), check.detail());
        }
        return table;
    }

    // Same words as the CLI's doctor (bundles/cli DoctorCommand), so scripts and eyes read both alike.
    // TODO(core): move this wording into DoctorReport.Check so both faces share one copy.
    private static String available(DoctorReport.Check check) {
        return switch (check.status()) {
            case YES -> "yes";
            case NO -> check.required() ? "NO (required)" : "no";
            case INFO -> "";
        };
    }
}
