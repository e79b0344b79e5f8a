package org.attenuator.plugin.denylog.internal;

import java.nio.file.Path;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Set;
import org.attenuator.api.Decision;
import org.attenuator.api.SupervisedTree;
import org.attenuator.api.SyscallEvent;
import org.attenuator.api.SyscallObserver;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs every deny and kill decision, and in audit mode every decision that would have denied, as
 * one JSON line to the logger {@value #LOGGER} (see docs/denylog.md). Runs on the supervisor's
 * observer thread, after the answer was sent.
 */
@Component(service = SyscallObserver.class, configurationPid = DenyLogObserver.PID)
@Designate(ocd = DenyLogObserver.Config.class)
public final class DenyLogObserver implements SyscallObserver {

    public static final String PID = "org.attenuator.plugin.denylog";
    /** The logger every entry goes to; route it to its own appender with the pattern {@code %msg%n}. */
    public static final String LOGGER = "attenuator.denylog";

    @ObjectClassDefinition(name = "Attenuator deny-log",
            description = "Logs denied and killed syscalls, decoded, as JSON lines to the logger attenuator.denylog")
    public @interface Config {
        @AttributeDefinition(name = "Enabled", description = "Log at all")
        boolean enabled() default true;

        @AttributeDefinition(name = "Audit", description = "Also log what audit-mode trees (tree property "
                + "denylog.audit=true) would have had denied while they were allowed")
        boolean audit() default true;

        @AttributeDefinition(name = "Rate limit", description = "Entries per tree, syscall and second; "
                + "the rest are counted and the count is logged with the next entry. 0: no limit", min = "0")
        int ratePerSecond() default 20;

        @AttributeDefinition(name = "String limit", description = "At most this many bytes of a path or string",
                min = "16", max = "65536")
        int maxStringBytes() default 4096;
    }

    private final Logger log;
    private final boolean enabled;
    private final boolean audit;
    private final RateLimiter limiter;
    private final ArgDecoder decoder;
    private final Path proc;

    @Activate
    public DenyLogObserver(Config config) {
        this(config, LoggerFactory.getLogger(LOGGER), Path.of("/proc"), System::nanoTime);
    }

    DenyLogObserver(Config config, Logger log, Path proc, java.util.function.LongSupplier nanoTime) {
        if (config.ratePerSecond() < 0) {
            throw new IllegalArgumentException("ratePerSecond must be 0 or more, got " + config.ratePerSecond());
        }
        if (config.maxStringBytes() < 16 || config.maxStringBytes() > 65536) {
            throw new IllegalArgumentException("maxStringBytes must be 16..65536, got " + config.maxStringBytes());
        }
        this.log = log;
        this.enabled = config.enabled();
        this.audit = config.audit();
        this.limiter = new RateLimiter(config.ratePerSecond(), nanoTime);
        this.decoder = new ArgDecoder(config.maxStringBytes());
        this.proc = proc;
    }

    /** Allowed calls are not logged: the supervisor need not hand them over. */
    @Override
    public Set<Decision.Kind> answeredKinds() {
        return EnumSet.of(Decision.Kind.DENY, Decision.Kind.KILL);
    }

    @Override
    public void answered(SyscallEvent event, Decision decision, String decidedBy) {
        switch (decision.kind()) {
            case DENY -> log(EntryRenderer.Kind.DENY, event, decision, decidedBy);
            case KILL -> log(EntryRenderer.Kind.KILL, event, decision, decidedBy);
            default -> {
                // allow and respond are not denials
            }
        }
    }

    /**
     * Audit mode: the supervisor allowed {@code event} although {@code wouldHave} (a deny or kill
     * decided by {@code decidedBy}) was the chain's decision, because the tree is in audit mode.
     * Overrides {@code SyscallObserver.audited} once the API has it (see docs/denylog.md).
     */
    public void audited(SyscallEvent event, Decision wouldHave, String decidedBy) {
        if (audit) {
            log(EntryRenderer.Kind.AUDIT, event, wouldHave, decidedBy);
        }
    }

    @Override
    public void treeEnded(SupervisedTree tree) {
        Instant now = Instant.now();
        for (RateLimiter.Dropped d : limiter.endTree(tree.id())) {
            if (enabled && log.isInfoEnabled()) {
                log.info(EntryRenderer.dropped(now, d));
            }
        }
    }

    @Deactivate
    void deactivate() {
        Instant now = Instant.now();
        for (RateLimiter.Dropped d : limiter.drainAll()) {
            if (enabled && log.isInfoEnabled()) {
                log.info(EntryRenderer.dropped(now, d));
            }
        }
    }

    private void log(EntryRenderer.Kind kind, SyscallEvent event, Decision decision, String decidedBy) {
        if (!enabled || !log.isInfoEnabled()) {
            return;
        }
        Instant now = Instant.now();
        RateLimiter.Permit permit = limiter.acquire(event.tree().id(), event.syscall().toString());
        if (!permit.granted()) {
            return;
        }
        ArgDecoder.Decoded decoded = decoder.decode(event);
        ProcessInfo process = ProcessInfo.of(proc, event.pid());
        log.info(EntryRenderer.entry(now, kind, event, process, decoded, decision, decidedBy, permit.droppedBefore()));
    }
}
