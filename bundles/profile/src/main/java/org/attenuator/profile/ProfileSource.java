package org.attenuator.profile;

import java.nio.file.Path;
import java.util.Objects;
import org.attenuator.bpf.CompileException;
import org.attenuator.bpf.CompileException.Reason;
import org.attenuator.bpf.SourceLocation;

/**
 * A profile as a command names it: a file, or {@code builtin:NAME} for one shipped with
 * Attenuator ({@link BuiltinProfiles}). The text is read once, a file through {@link ProfileFiles}.
 *
 * @since 0.3.0
 */
public final class ProfileSource {

    /** What names a built-in profile: {@code builtin:docker-default}. */
    public static final String BUILTIN_PREFIX = "builtin:";

    private final String name;
    private final String text;

    private ProfileSource(String name, String text) {
        this.name = name;
        this.text = text;
    }

    /**
     * The profile {@code reference} names: {@code builtin:NAME} or a file path.
     *
     * @throws CompileException for a file that cannot be read, or a built-in name that does not
     *     exist (the message lists the ones that do)
     */
    public static ProfileSource of(String reference) throws CompileException {
        Objects.requireNonNull(reference, "reference");
        if (!reference.startsWith(BUILTIN_PREFIX)) {
            return file(Path.of(reference));
        }
        String builtin = reference.substring(BUILTIN_PREFIX.length());
        String text = BuiltinProfiles.json(builtin).orElseThrow(() -> new CompileException(Reason.UNREADABLE,
                SourceLocation.at(""), BuiltinProfiles.unknown(builtin)));
        return new ProfileSource(reference, text);
    }

    /** The profile in {@code file}. */
    public static ProfileSource file(Path file) throws CompileException {
        return new ProfileSource(file.toString(), ProfileFiles.read(file));
    }

    /** How errors name it: the path as given, or {@code builtin:NAME}. */
    public String name() {
        return name;
    }

    /** The profile's JSON, as read (a built-in one as shipped). */
    public String text() {
        return text;
    }
}
