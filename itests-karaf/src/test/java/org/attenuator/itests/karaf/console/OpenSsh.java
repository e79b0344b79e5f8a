package org.attenuator.itests.karaf.console;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The machine's OpenSSH client, as any peer would use it against the console: a user and a
 * password (handed over through SSH_ASKPASS, which OpenSSH 8.4 and later use without a terminal).
 */
final class OpenSsh {

    private final Path workDirectory;
    private final int port;

    OpenSsh(Path workDirectory, int port) {
        this.workDirectory = workDirectory;
        this.port = port;
    }

    /** Runs a console command as {@code user} with {@code password}. */
    ProcessOutcome exec(String user, String password, String command) throws IOException, InterruptedException {
        return run(user, password, List.of(), command);
    }

    /** Asks for the SFTP subsystem (what the sftp program does first) as {@code user} with {@code password}. */
    ProcessOutcome sftp(String user, String password) throws IOException, InterruptedException {
        return run(user, password, List.of("-s"), "sftp");
    }

    private ProcessOutcome run(String user, String password, List<String> options, String request)
            throws IOException, InterruptedException {
        Path askPass = Files.createTempFile(workDirectory, "askpass", ".sh",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        try {
            Files.writeString(askPass, "#!/bin/sh\nprintf '%s\\n' '" + password + "'\n", StandardCharsets.UTF_8);
            List<String> command = new ArrayList<>(List.of("ssh", "-p", String.valueOf(port),
                    "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null", "-o", "LogLevel=ERROR",
                    "-o", "PreferredAuthentications=password,keyboard-interactive", "-o", "NumberOfPasswordPrompts=1",
                    "-l", user));
            command.addAll(options);
            command.add("127.0.0.1");
            command.add(request);
            return ProcessOutcome.run(workDirectory,
                    Map.of("SSH_ASKPASS", askPass.toString(), "SSH_ASKPASS_REQUIRE", "force"), "", command);
        } finally {
            Files.delete(askPass);
        }
    }
}
