package org.attenuator.cli.internal;

import java.util.List;

/** The declaration of {@code attenuator profile} and its actions, for {@link ProfileCommand}. */
final class ProfileSpec {

    private static final Positional KEY = new Positional("KEY",
            "The learning key, or the profile's file name as profile list shows it.", Values.LEARNED_KEY, List.of());

    private static final String COMPARED = "a learned KEY (learned:KEY when a file of that name exists too) or a "
            + "profile FILE.";

    private static final Option RUNTIME_EXPORT = Option.value("--runtime", "RUNTIME", "The container runtime the "
            + "profile is for: its own base syscalls (what it calls after installing the filter) are added. runc "
            + "(the default: what Docker, containerd and CRI-O run), crun, or none (the learned calls only).")
            .choices("runc", "crun", "none");

    static final CommandSpec SPEC = CommandSpec.of("profile", "list, show, export, compare and merge learned profiles; "
                    + "list and show built-in ones; write the profile a container learns under")
            .describe("The profiles run --learn stored (HOME/learned/KEY.json, HOME as in docs/learning.md), and the "
                    + "ones shipped with Attenuator (builtin:NAME). Options may also come before the action, the Karaf "
                    + "console's order (seccomp:profile --format spo export KEY).")
            .action(CommandSpec.of("list", "list the learned profiles (key, syscalls, runs, runs without change) "
                            + "and the built-in ones")
                    .option(JsonOption.of("the built-in and learned profiles"))
                    .example("attenuator profile list", "What has been learned so far, and what is built in.")
                    .example("attenuator profile list --json", "The same, for a script.").build())
            .action(CommandSpec.of("show", "show one learned profile (its runs and its syscalls) or a built-in one")
                    .option(Option.flag(JsonOption.NAME, "Print the stored OCI profile JSON instead of the summary "
                            + "(a built-in profile is always printed as its JSON)."))
                    .positional(KEY.label(), KEY.description() + " Or builtin:NAME, a profile shipped with "
                            + "Attenuator.", Values.KEY_OR_BUILTIN)
                    .example("attenuator profile show nginx", "The syscalls nginx made while it was learned.")
                    .example("attenuator profile show builtin:docker-default", "Docker's default profile, as shipped.")
                    .build())
            .action(CommandSpec.of("export", "print one learned profile as an OCI seccomp profile or a SeccompProfile, "
                            + "for a container runtime")
                    .option(Option.value("--format", "FORMAT", "oci (the OCI / Docker seccomp JSON, the default) or "
                            + "spo (a security-profiles-operator SeccompProfile resource).").choices("oci", "spo"))
                    .option(RUNTIME_EXPORT)
                    .positional(KEY.label(), KEY.description(), KEY.values())
                    .example("attenuator profile export --format spo nginx > nginx-seccomp.yaml",
                            "A SeccompProfile for Kubernetes.")
                    .example("attenuator profile export --runtime crun redis > redis.json",
                            "A profile that starts under crun.").build())
            .action(CommandSpec.of("template", "print the linux.seccomp of a container that learns KEY through the "
                            + "agent on --socket")
                    .describe("Every call the runtime makes after installing the filter is allowed; the others go "
                            + "to the agent (attenuator agent --socket PATH), which stores what the container's "
                            + "processes called as KEY when the container's tree ends.")
                    .option(Option.value("--learn", "KEY", "The learning key to store the profile as (required)."))
                    .option(Option.value("--runtime", "RUNTIME", "The container runtime (required): runc or crun.")
                            .choices("runc", "crun"))
                    .option(Option.value("--socket", "PATH", "The agent's socket (required).").completing(Values.FILE))
                    .example("attenuator profile template --learn box --runtime runc --socket /run/attenuator.sock",
                            "The seccomp section of a runc config.json that learns box.").build())
            .action(CommandSpec.of("diff", "compare two profiles: exit 0 same, 1 different, 2 error")
                    .describe("One line per difference: - removed, + added, ~ changed.")
                    .positional("A", "The first profile: " + COMPARED, Values.LEARNED_OR_FILE)
                    .positional("B", "The second profile: " + COMPARED, Values.LEARNED_OR_FILE)
                    .example("attenuator profile diff nginx nginx-v2", "What the second learning added.").build())
            .action(CommandSpec.of("merge", "merge two profiles: their union; conflicting actions: the stricter")
                    .describe("Each conflict and how it was resolved is written to stderr.")
                    .option(Option.value("--output", "FILE", "Write the merged profile to FILE (replaced atomically; "
                            + "default: stdout).").alias("-o").completing(Values.FILE))
                    .positional("A", "The first profile: " + COMPARED, Values.LEARNED_OR_FILE)
                    .positional("B", "The second profile: " + COMPARED, Values.LEARNED_OR_FILE)
                    .example("attenuator profile merge -o web.json web-a web-b",
                            "One profile for two learned runs.").build())
            .example("attenuator profile list", "What has been learned so far.")
            .build();

    private ProfileSpec() {
    }
}
