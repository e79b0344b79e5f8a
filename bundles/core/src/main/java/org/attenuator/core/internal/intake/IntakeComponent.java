package org.attenuator.core.internal.intake;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import org.attenuator.core.Intake;
import org.attenuator.core.IntakeSettings;
import org.attenuator.core.Intakes;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * The OCI seccomp agent socket as configuration (Karaf's {@code etc/org.attenuator.core.intake.cfg}):
 * present, the socket listens; changed, it moves; removed, it closes. The standalone
 * {@code attenuator agent} opens its socket from its command line instead.
 */
@Component(configurationPid = IntakeComponent.PID, configurationPolicy = ConfigurationPolicy.REQUIRE, service = {})
@Designate(ocd = IntakeComponent.Config.class)
public final class IntakeComponent {

    static final String PID = "org.attenuator.core.intake";

    @ObjectClassDefinition(name = "Attenuator agent socket",
            description = "The AF_UNIX socket where runc, crun and 'attenuator run --agent' hand listeners over")
    public @interface Config {
        @AttributeDefinition(description = "Socket path; its directory is created 0700, the socket is 0600")
        String socket();

        @AttributeDefinition(description = "Uids allowed to hand listeners over besides root (SO_PEERCRED)")
        int[] allowedUids() default {};

        @AttributeDefinition(description = "Milliseconds a peer may take to send its whole message")
        long stallTimeoutMillis() default 5000;

        @AttributeDefinition(description = "Connections one uid may have open, messages unfinished, at a time")
        int maxConnectionsPerUid() default IntakeSettings.DEFAULT_MAX_CONNECTIONS_PER_UID;

        @AttributeDefinition(description = "Directories a peer's profile=NAME is looked up in; no other file is opened for a peer")
        String[] profileDirs() default {};
    }

    private final Intake intake;

    @Activate
    public IntakeComponent(@Reference Intakes intakes, Config config) {
        if (config.socket() == null || config.socket().isBlank()) {
            throw new IllegalArgumentException("socket must be set");
        }
        Set<Integer> uids = new HashSet<>();
        for (int uid : config.allowedUids()) {
            if (uid < 0) {
                throw new IllegalArgumentException("allowedUids: not a uid: " + uid);
            }
            uids.add(uid);
        }
        try {
            this.intake = intakes.open(new IntakeSettings(Path.of(config.socket()), uids,
                    Duration.ofMillis(config.stallTimeoutMillis()), config.maxConnectionsPerUid(),
                    Arrays.stream(config.profileDirs()).map(Path::of).toList()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the agent socket " + config.socket(), e);
        }
    }

    @Deactivate
    void close() {
        intake.close();
    }
}
