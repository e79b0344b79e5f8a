package org.attenuator.plugin.fallback.internal;

import org.attenuator.linux.Fd;

/**
 * A request of keeper protocol {@value #PROTOCOL} (docs/keeper.md), as the supervisor sends it: one line, and at
 * most one fd travelling with its first byte. Every request gets one reply ({@code HELLO}: a
 * {@code TREES} line, that many {@code TREE} lines and {@code END}).
 */
sealed interface KeeperRequest {

    /** The keeper's line limit, with the newline. */
    int MAX_LINE = 4096;
    /** The protocol this supervisor and its attenuator-keeper speak (the keeper refuses any other HELLO). */
    int PROTOCOL = 2;

    /** The line, without the newline. */
    String line();

    /** The fd sent with the line (still owned by the caller), or null. */
    default Fd fd() {
        return null;
    }

    /** Must come first on a connection; ends a takeover and hands the held trees back. */
    record Hello() implements KeeperRequest {
        @Override
        public String line() {
            return "HELLO " + PROTOCOL;
        }
    }

    /** The shared in-flight table (a memfd that allows sealing); sent again after every HELLO. */
    record Shm(Fd memfd) implements KeeperRequest {
        @Override
        public String line() {
            return "SHM";
        }

        @Override
        public Fd fd() {
            return memfd;
        }
    }

    /**
     * {@code ADD}: hold a copy of a tree's listener and answer from its fallback table once the
     * supervisor is gone; or, {@code kept}, {@code KEEP}: a listener no supervisor reads, answered by
     * the keeper from its table at once and always, never handed back.
     */
    record Add(String treeId, long pid, String spec, String meta, Fd listener, boolean kept) implements KeeperRequest {
        public Add {
            // the keeper echoes an ADD as a TREE line, which must fit its 4096 bytes
            if ((verb(kept) + " " + treeId + " " + pid + " " + spec + " " + meta).length() + 1 > MAX_LINE - 1) {
                throw new IllegalArgumentException(verb(kept) + " of " + treeId + " longer than " + (MAX_LINE - 1) + " bytes");
            }
        }

        private static String verb(boolean kept) {
            return kept ? "KEEP" : "ADD";
        }

        @Override
        public String line() {
            return verb(kept) + " " + treeId + " " + pid + " " + spec + " " + meta;
        }

        @Override
        public Fd fd() {
            return listener;
        }
    }

    /** The tree ended: drop it. */
    record Del(String treeId) implements KeeperRequest {
        @Override
        public String line() {
            return "DEL " + treeId;
        }
    }

    /**
     * {@code INTAKE}: the agent's listening socket; the keeper accepts its connections from now on,
     * holds the listeners their messages carry and passes each on ({@link KeeperReply.Conn}).
     *
     * @param spec the fallback of a listener the supervisor never adopted, in the keeper's syntax
     * @param uids the peers besides root whose listeners the keeper holds: {@code -} or {@code N[,N]...}
     */
    record Intake(String spec, String uids, Fd server) implements KeeperRequest {
        @Override
        public String line() {
            return "INTAKE " + spec + " " + uids;
        }

        @Override
        public Fd fd() {
            return server;
        }
    }

    /** {@code DONE}: the supervisor is finished with the connection of this ticket: the keeper's copies go. */
    record Done(long ticket) implements KeeperRequest {
        @Override
        public String line() {
            return "DONE " + ticket;
        }
    }

    /** Liveness check; answered {@code PONG}. */
    record Ping() implements KeeperRequest {
        @Override
        public String line() {
            return "PING";
        }
    }
}
