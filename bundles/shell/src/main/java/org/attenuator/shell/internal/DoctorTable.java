package org.attenuator.shell.internal;

import org.apache.karaf.shell.support.table.ShellTable;
import org.attenuator.core.DoctorReport;

/** The FEATURE / AVAILABLE / DETAIL table of a {@link DoctorReport}, in the words {@link DoctorReport.Check#availability()} gives every face. */
final class DoctorTable {

    private DoctorTable() {
    }

    static ShellTable of(DoctorReport report) {
        ShellTable table = Tables.withColumns("FEATURE", "AVAILABLE", "DETAIL");
        for (DoctorReport.Check check : report.checks()) {
            table.addRow().addContent(check.name(), check.availability(), check.detail());
        }
        return table;
    }
}
