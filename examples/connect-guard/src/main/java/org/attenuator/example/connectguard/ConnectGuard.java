package org.attenuator.example.connectguard;

import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.Arrays;
import java.util.BitSet;
import org.attenuator.api.Decision;
import org.attenuator.api.HandlerContext;
import org.attenuator.api.SyscallEvent;
import org.attenuator.api.SyscallHandler;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * Denies {@code connect()} to the configured destination ports; passes every other call on to the
 * rest of the chain. It never allows: the port is read from the caller's memory, and a decision
 * that lets the kernel run the call must not rest on memory (see README.md, "Why deny, never
 * allow").
 *
 * <p>One component instance per configuration ({@code org.attenuator.example.connectguard}); no
 * configuration, no handler.
 */
@Component(service = SyscallHandler.class, configurationPid = ConnectGuard.PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE,
        property = SyscallHandler.SYSCALLS + "=connect")
@Designate(ocd = ConnectGuard.Config.class)
public final class ConnectGuard implements SyscallHandler {

    /** The configuration PID (etc/org.attenuator.example.connectguard.cfg in Karaf). */
    public static final String PID = "org.attenuator.example.connectguard";

    /** What a denied connect() returns. */
    public enum Errno {
        /** As if nothing listened on the port: what most clients handle best. */
        ECONNREFUSED(111),
        /** "Operation not permitted": says plainly that policy refused it. */
        EPERM(1);

        final int value;

        Errno(int value) {
            this.value = value;
        }
    }

    @ObjectClassDefinition(name = "Attenuator connect guard",
            description = "Denies connect() to the listed destination ports (IPv4 and IPv6)")
    public @interface Config {
        @AttributeDefinition(description = "Destination ports, 1-65535, whose connect() is denied")
        int[] ports();

        @AttributeDefinition(description = "What a denied connect() returns")
        Errno errno() default Errno.ECONNREFUSED;

        /** Becomes the service property {@code attenuator.target}; absent: every tree. */
        @AttributeDefinition(required = false,
                description = "LDAP filter over tree properties, e.g. (meta.team=blue); leave unset for every tree")
        String attenuator_target();

        /** Becomes the service property {@code service.ranking}. */
        @AttributeDefinition(description = "Position in the chain: higher is asked earlier")
        int service_ranking() default 100;
    }

    private final BitSet ports = new BitSet(65536);
    private final Decision denial;

    @Activate
    public ConnectGuard(Config config) {
        int[] configured = config.ports();
        if (configured == null || configured.length == 0) {
            throw new IllegalArgumentException("ports: at least one port is needed");
        }
        for (int port : configured) {
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("ports: " + port + " is not a port (1-65535) in "
                        + Arrays.toString(configured));
            }
            ports.set(port);
        }
        denial = Decision.deny(config.errno().value);
    }

    /**
     * {@code connect(fd, addr, addrlen)}: reads the destination at {@code addr} (the reader
     * confirms the caller still waits), denies a listed port, passes anything else: other
     * families, unreadable addresses, lengths the kernel refuses, unlisted ports.
     */
    @Override
    public Decision handle(SyscallEvent event, HandlerContext context) {
        int length = (int) event.arg(2); // the kernel takes an int: bits above 32 are not the length
        SocketAddress destination;
        try {
            destination = event.reader().readSocketAddress(event.arg(1), length);
        } catch (UncheckedIOException badPointer) {
            return Decision.pass(); // EFAULT from the kernel if it runs
        }
        return destination instanceof InetSocketAddress inet && ports.get(inet.getPort()) ? denial : Decision.pass();
    }
}
