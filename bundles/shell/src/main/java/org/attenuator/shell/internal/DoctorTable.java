package org.attenuator.shell.internal;

import org.attenuator.core.DoctorReport;
import org.attenuator.shell.console.ConsoleTable;

/** The FEATURE / AVAILABLE / DETAIL table of a {@link DoctorReport}, in the words {@link DoctorReport.Check#availability()} gives every face. */
final class DoctorTable {

    private DoctorTable() {
    }

    static ConsoleTable of(DoctorReport report) {
        ConsoleTable table = new ConsoleTable("FEATURE", "AVAILABLE", "DETAIL");
        for (DoctorReport.Check check : report.checks()) {
            table.row(check.name(), check.availability(), check.detail());
        }
        return table;
    }
}
