package org.attenuator.cli.internal;

import java.util.List;
import java.util.Set;
import org.attenuator.core.Doctor;
import org.attenuator.core.DoctorReport;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** {@code attenuator doctor}: what this kernel and machine offer; exit 0 when supervision is possible. */
@Component(service = Subcommand.class)
public final class DoctorCommand implements Subcommand {

    private final Doctor doctor;

    @Activate
    public DoctorCommand(@Reference Doctor doctor) {
        this.doctor = doctor;
    }

    @Override
    public String name() {
        return "doctor";
    }

    @Override
    public String synopsis() {
        return "";
    }

    @Override
    public String summary() {
        return "show what this kernel and machine offer; exit 0 when supervision is possible here";
    }

    @Override
    public int run(List<String> args, Terminal terminal) throws CommandException {
        Arguments.parse(args, Set.of(), Set.of()).atMostPositionals(0);
        DoctorReport report = doctor.examine();
        Table table = new Table("FEATURE", "AVAILABLE", "DETAIL");
        for (DoctorReport.Check check : report.checks()) {
            table.row(check.name(), check.availability(), check.detail());
        }
        table.print(terminal.out());
        terminal.out().println();
        terminal.out().println(report.verdict());
        return report.supervisionPossible() ? 0 : 1;
    }
}
