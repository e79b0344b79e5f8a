package org.attenuator.plugin.fallback.internal;

import org.attenuator.linux.Fd;

/**
 * A request of keeper protocol 1 (docs/keeper.md), as the supervisor sends it: one line, and at
 * most one fd travelling with its first byte. Every request gets one reply ({@code HELLO}: a
 * {@code TREES} line, that many {@code TREE} lines and {@code END}).
 */
sealed interface KeeperRequest {

    /** The keeper's line limit, with the newline. */
    int MAX_LINE = 4096;

    /** The line, without the newline. */
    String line();

    /** The fd sent with the line (still owned by the caller), or null. */
    default Fd fd() {
        return null;
    }

    /** Must come first on a connection; ends a takeover and hands the held trees back. */
    record Hello(int version) implements KeeperRequest {
        @Override
        public String line() {
            return "HELLO " + version;
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

    /** Hold a copy of a tree's listener and answer from its fallback table once the supervisor is gone. */
    record Add(String treeId, long pid, String spec, String meta, Fd listener) implements KeeperRequest {
        public Add {
            // the keeper echoes an ADD as a TREE line, which must fit its 4096 bytes
            if (("ADD " + treeId + " " + pid + " " + spec + " " + meta).length() + 1 > MAX_LINE - 1) {
                throw new IllegalArgumentException("ADD of " + treeId + " longer than " + (MAX_LINE - 1) + " bytes");
            }
        }

        @Override
        public String line() {
            return "ADD " + treeId + " " + pid + " " + spec + " " + meta;
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

    /** Liveness check; answered {@code PONG}. */
    record Ping() implements KeeperRequest {
        @Override
        public String line() {
            return "PING";
        }
    }
}
