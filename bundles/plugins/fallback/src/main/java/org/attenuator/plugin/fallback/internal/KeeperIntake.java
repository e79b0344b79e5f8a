package org.attenuator.plugin.fallback.internal;

import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.attenuator.core.spi.IntakeCustody;
import org.attenuator.linux.Fd;

/**
 * The keeper's hold on the agent's socket ({@code INTAKE}, docs/keeper.md): the keeper accepts the
 * connections and passes each on ({@code CONN}); this hands them to the intake under tickets of its
 * own (the keeper's restart from 1 with every keeper) and sends {@code DONE} when the intake is
 * finished with one, on the connection the {@code CONN} came on (on a later one it means nothing).
 */
final class KeeperIntake implements IntakeCustody {

    /** A connection the intake has: the keeper connection its CONN came on, and the keeper's ticket. */
    private record Ticket(KeeperConnection from, long keeperTicket) {
    }

    private final KeeperLink link;
    private final Fd server;
    private final String spec;
    private final String uids;
    private final Handoff handoff;
    private final AtomicLong sequence = new AtomicLong();
    private final Map<Long, Ticket> tickets = new ConcurrentHashMap<>();

    /**
     * @param server a copy of the agent's listening socket, owned from now on
     * @param spec the fallback of a listener the supervisor never adopted (the plugin's default)
     * @param allowedUids the peers besides root whose listeners the keeper holds
     */
    KeeperIntake(KeeperLink link, Fd server, String spec, Set<Integer> allowedUids, Handoff handoff) {
        this.link = link;
        this.server = server;
        this.spec = spec;
        this.uids = allowedUids.isEmpty() ? "-"
                : allowedUids.stream().sorted().map(String::valueOf).collect(Collectors.joining(","));
        this.handoff = handoff;
    }

    KeeperRequest.Intake request() {
        return new KeeperRequest.Intake(spec, uids, server);
    }

    Handoff handoff() {
        return handoff;
    }

    /** A CONN from the keeper on {@code from}: to the intake, under a ticket of ours. */
    void connection(KeeperConnection from, KeeperReply.Conn conn) {
        long ticket = sequence.incrementAndGet();
        tickets.put(ticket, new Ticket(from, conn.ticket()));
        handoff.connection(ticket, conn.connection());
    }

    @Override
    public void done(long ticket) {
        Ticket t = tickets.remove(ticket);
        if (t != null) {
            link.done(t.from(), t.keeperTicket());
        }
    }

    @Override
    public void close() {
        link.releaseIntake(this);
        KeeperLink.closeQuietly(server);
    }
}
