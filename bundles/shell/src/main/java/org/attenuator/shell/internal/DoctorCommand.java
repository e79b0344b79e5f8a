package org.attenuator.shell.internal;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.Session;
import org.attenuator.core.Doctor;
import org.attenuator.core.DoctorReport;
import org.attenuator.core.Json;
import org.attenuator.shell.console.ConsoleTable;

/** {@code seccomp:doctor}: the console face of {@link Doctor}, rendered as the standalone {@code attenuator doctor}. */
@Service
@Command(scope = "seccomp", name = "doctor",
        description = "Shows what this kernel and machine offer for seccomp supervision, and whether supervision is possible here.")
public class DoctorCommand implements Action {

    @Reference
    private Doctor doctor;

    @Reference
    private Session session;

    @Option(name = "--no-format", description = ConsoleTable.NO_FORMAT)
    private boolean noFormat;

    @Option(name = "--json", description = Descriptions.JSON)
    private boolean json;

    @Override
    public Object execute() {
        DoctorReport report = doctor.examine();
        if (json) {
            session.getConsole().print(Json.write(report.toJson()));
            return null;
        }
        DoctorTable.of(report).print(session.getConsole(), noFormat);
        session.getConsole().println(report.verdict());
        // The verdict is the answer; printing it (not returning it) keeps Karaf from echoing it twice.
        return null;
    }
}
