package org.attenuator.cli.internal;

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

    static final CommandSpec SPEC = CommandSpec.of("doctor",
                    "show what this kernel and machine offer; exit 0 when supervision is possible here")
            .describe("Checks the kernel's seccomp features (user notification, flags, actions), the native helpers "
                    + "and the capabilities of this process, one line each, then says whether Attenuator can "
                    + "supervise here (exit status 0) or not (1).")
            .option(JsonOption.of("the report (same exit status)"))
            .example("attenuator doctor", "Before the first run on a new machine.")
            .example("attenuator doctor --json", "The same checks, for a script.")
            .build();

    @Override
    public CommandSpec spec() {
        return SPEC;
    }

    @Override
    public int run(Arguments args, Terminal terminal) throws CommandException {
        DoctorReport report = doctor.examine();
        if (args.flag(JsonOption.NAME)) {
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
