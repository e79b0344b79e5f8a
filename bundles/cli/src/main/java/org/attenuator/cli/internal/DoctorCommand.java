package org.attenuator.cli.internal;

import java.util.List;
import java.util.Set;
import org.attenuator.core.Doctor;
import org.attenuator.core.DoctorReport;
import org.attenuator.core.Json;
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
        return "[--json]";
    }

    @Override
    public String summary() {
        // --json: the report as one JSON object (docs/json.md), same exit status
        return "show what this kernel and machine offer; exit 0 when supervision is possible here (--json: for scripts)";
    }

    @Override
    public int run(List<String> args, Terminal terminal) throws CommandException {
        boolean json = Arguments.parse(args, Set.of(), Set.of(JsonOption.NAME)).atMostPositionals(0).flag(JsonOption.NAME);
        DoctorReport report = doctor.examine();
        if (json) {
            terminal.out().print(Json.write(report.toJson()));
            return report.supervisionPossible() ? 0 : 1;
        }
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
