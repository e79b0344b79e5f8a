package org.attenuator.cli.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;
import java.util.Set;
import org.attenuator.linux.AttenuatorPaths;
import org.attenuator.profile.Capabilities;

/**
 * The program cache file attenuator-client looks for when it is given the same arguments (see
 * native/client/main.c, {@code entry_name}): {@code $ATTENUATOR_HOME/programs/SHA256(KEY)}, KEY naming
 * the mode, the arch, the capability set the profile is evaluated with, the SHA-256 of the
 * profile's text, the distribution's build and the kernel's release. Only for a run the client can
 * take over: no options but {@code --profile FILE}, {@code --agent} and {@code --kernel-only}, each
 * at most once; any other option changes the program or the launch in a way the key does not
 * name. The text is the one the run read and compiled (the file's, or the built-in default as the
 * distribution ships it), so the entry holds its program.
 */
final class ProgramCacheKey {

    /** The launcher's system property naming the distribution's directory. */
    static final String DISTRIBUTION = "attenuator.distribution";

    private static final Set<String> CLIENT_OPTIONS = Set.of(RunCommand.PROFILE, RunCommand.AGENT, RunCommand.KERNEL_ONLY);

    private ProgramCacheKey() {
    }

    static Optional<Path> file(Arguments a, String profileText) {
        for (Option o : RunSpec.SPEC.options()) {
            boolean given = a.flag(o.name()) || !a.options(o.name()).isEmpty();
            if (given && !CLIENT_OPTIONS.contains(o.name()) || a.options(o.name()).size() > 1) {
                return Optional.empty();
            }
        }
        Optional<String> arch = switch (System.getProperty("os.arch")) {
            case "amd64", "x86_64" -> Optional.of("x86_64");
            case "aarch64" -> Optional.of("aarch64");
            default -> Optional.empty();
        };
        Optional<String> build = buildId();
        if (arch.isEmpty() || build.isEmpty()) {
            return Optional.empty();
        }
        String key = "attenuator-program 1\nmode=" + (a.flag(RunCommand.KERNEL_ONLY) ? "kernel" : "agent") + "\narch="
                + arch.get() + "\ncaps=" + Long.toHexString(Capabilities.mask(Capabilities.DOCKER_DEFAULT)) + "\nprofile="
                + sha256(profileText.getBytes(StandardCharsets.UTF_8)) + "\nbuild=" + build.get() + "\nkernel="
                + System.getProperty("os.version") + "\n";
        return Optional.of(AttenuatorPaths.home().resolve("programs").resolve(sha256(key.getBytes(StandardCharsets.US_ASCII))));
    }

    /**
     * The distribution's {@code lib/build-id} line: the program depends on the compiler that wrote it
     * and on the kernel it was compiled for, which the profile's digest does not name. Without a
     * distribution (or its line) there is no entry.
     */
    private static Optional<String> buildId() {
        String distribution = System.getProperty(DISTRIBUTION);
        if (distribution == null) {
            return Optional.empty();
        }
        try {
            // its first line, as attenuator-client reads it
            return Files.readString(Path.of(distribution, "lib", "build-id"), StandardCharsets.US_ASCII).lines()
                    .findFirst().filter(line -> !line.isEmpty());
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }
}
