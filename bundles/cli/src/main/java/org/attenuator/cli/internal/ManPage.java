package org.attenuator.cli.internal;

import java.util.Comparator;
import java.util.List;

/** The man page attenuator(1), in troff, generated from the subcommands' {@link CommandSpec}s. */
final class ManPage {

    private ManPage() {
    }

    static String render(List<CommandSpec> specs, String version) {
        StringBuilder m = new StringBuilder();
        m.append(".TH ATTENUATOR 1 \"\" \"attenuator ").append(esc(version)).append("\" \"User Commands\"\n");
        m.append(".SH NAME\nattenuator \\- run programs under seccomp profiles, supervised, and learn their profiles\n");
        m.append(".SH SYNOPSIS\n.B attenuator\n.I COMMAND\n[\\fIOPTIONS\\fR] [\\fIARGUMENTS\\fR]\n.br\n")
                .append(".B attenuator help\n.I COMMAND\n.br\n.B attenuator \\-\\-version\n");
        m.append(".SH DESCRIPTION\n").append(esc("Attenuator runs a program with a seccomp filter from its first "
                + "instruction and supervises the calls the filter notifies (the seccomp user notification), "
                + "as a command (run), as an OCI seccomp agent for runc and crun (agent), or learns the profile a "
                + "program needs (run --learn).")).append('\n');
        m.append(".PP\n").append(esc(HelpText.GRAMMAR)).append('\n');
        m.append(".SH COMMANDS\n");
        for (CommandSpec spec : specs.stream().sorted(Comparator.comparing(CommandSpec::name)).toList()) {
            if (spec.actions().isEmpty()) {
                command("attenuator " + spec.name(), spec, m);
            } else {
                m.append(".SS \"attenuator ").append(esc(spec.name())).append(" ").append(esc(spec.synopsis()))
                        .append("\"\n").append(esc(HelpText.sentence(spec.summary()))).append('\n');
                spec.description().forEach(p -> m.append(".PP\n").append(esc(p)).append('\n'));
                spec.actions().forEach(a -> command("attenuator " + spec.name() + " " + a.name(), a, m));
            }
        }
        m.append(".SH EXIT STATUS\n0 success; 1 failure; 2 bad arguments or bad input (a broken profile, an unknown "
                + "syscall); for run, the program's status, 125 to 127 when it could not start; for agent, stopped by "
                + "SIGTERM or SIGINT (its normal stop), 143 or 130, as a JVM ends on those signals.\n");
        m.append(".SH ENVIRONMENT\n");
        item(m, "ATTENUATOR_HOME", "Attenuator's home: learned profiles (learned/), the deny-log (log/). Default "
                + "/var/lib/attenuator for root, ~/.local/state/attenuator for others.");
        item(m, "ATTENUATOR_LOG_LEVEL", "The log level on stderr (default WARN; INFO for the agent).");
        item(m, "JAVA, JAVA_OPTS", "The java to run and its options.");
        m.append(".SH SEE ALSO\n.BR seccomp (2),\n.BR seccomp_unotify (2),\n.BR runc (8)\n");
        return m.toString();
    }

    private static void command(String usage, CommandSpec spec, StringBuilder m) {
        m.append(".SS \"").append(esc(usage + " " + spec.synopsis())).append("\"\n")
                .append(esc(HelpText.sentence(spec.summary()))).append('\n');
        spec.description().forEach(p -> m.append(".PP\n").append(esc(p)).append('\n'));
        spec.positionals().forEach(p -> item(m, "\\fI" + esc(p.label()) + "\\fR", p.description()));
        for (Option o : spec.options()) {
            String value = switch (o.arity()) {
                case FLAG -> "";
                case VALUE -> " \\fI" + esc(o.label()) + "\\fR";
                case OPTIONAL_VALUE -> "[=\\fI" + esc(o.label()) + "\\fR]";
            };
            String alias = o.alias() != null ? "\\fB" + esc(o.alias()) + "\\fR, " : "";
            item(m, alias + "\\fB" + esc(o.name()) + "\\fR" + value, o.description());
        }
        for (Example e : spec.examples()) {
            m.append(".PP\n").append(esc(e.what())).append("\n.RS\n.nf\n").append(esc(e.command())).append("\n.fi\n.RE\n");
        }
    }

    private static void item(StringBuilder m, String heading, String text) {
        m.append(".TP\n").append(heading.startsWith("\\") ? heading : esc(heading)).append('\n')
                .append(esc(text)).append('\n');
    }

    /** troff text: backslashes and minus signs escaped, no line starting with a control character. */
    static String esc(String text) {
        String s = text.replace("\\", "\\e").replace("-", "\\-");
        return s.startsWith(".") || s.startsWith("'") ? "\\&" + s : s;
    }
}
