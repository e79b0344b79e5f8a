package org.attenuator.plugin.fallback.internal;

import org.attenuator.linux.Fd;
import org.attenuator.linux.NativeException;

/** A reply line of the keeper protocol ({@link KeeperRequest#PROTOCOL}, docs/keeper.md), parsed. */
sealed interface KeeperReply {

    /** The request was done. */
    record Ok() implements KeeperReply {
    }

    /** The request was refused; the connection stays up. */
    record Err(String reason) implements KeeperReply {
    }

    /** First reply to HELLO: this many TREE lines follow, then END. */
    record Trees(int count) implements KeeperReply {
    }

    /** A tree handed back, with a copy of its listener (owned by the receiver). */
    record Tree(String treeId, long pid, String spec, String meta, Fd listener) implements KeeperReply {
    }

    /** Last reply to HELLO. */
    record End() implements KeeperReply {
    }

    /** Reply to PING. */
    record Pong() implements KeeperReply {
    }

    /**
     * Answers no request: a connection of the agent's socket the keeper accepted (after {@code
     * INTAKE}), its message unread, the listeners in it held by the keeper until {@code DONE} or their ADD.
     */
    record Conn(long ticket, Fd connection) implements KeeperReply {
    }

    /** A line that is not a reply of this protocol. */
    final class MalformedException extends java.io.IOException {
        private static final long serialVersionUID = 1L;

        MalformedException(String line, String why) {
            super("keeper: " + why + ": " + (line.length() > 80 ? line.substring(0, 80) + "..." : line));
        }
    }

    /**
     * Parses one line (without its newline). Takes ownership of {@code fd} (null if none came):
     * a TREE or CONN reply carries it, anything else closes it and, since only those have an fd, is malformed.
     */
    static KeeperReply parse(String line, Fd fd) throws MalformedException {
        boolean ok = false;
        try {
            KeeperReply r = parseText(line, fd);
            if (fd != null && !(r instanceof Tree) && !(r instanceof Conn)) {
                throw new MalformedException(line, "an fd came with a reply that has none");
            }
            ok = true;
            return r;
        } finally {
            if (!ok && fd != null) {
                closeQuietly(fd);
            }
        }
    }

    private static KeeperReply parseText(String line, Fd fd) throws MalformedException {
        String[] f = line.split(" ", -1);
        switch (f[0]) {
            case "OK", "END", "PONG" -> {
                if (f.length != 1) {
                    throw new MalformedException(line, "unexpected fields");
                }
                return f[0].equals("OK") ? new Ok() : f[0].equals("END") ? new End() : new Pong();
            }
            case "ERR" -> {
                if (f.length < 2 || f[1].isEmpty()) {
                    throw new MalformedException(line, "ERR without a reason");
                }
                return new Err(line.substring(4));
            }
            case "TREES" -> {
                if (f.length != 2) {
                    throw new MalformedException(line, "TREES needs a count");
                }
                return new Trees(number(line, f[1], 4096));
            }
            case "TREE" -> {
                if (f.length != 5 || f[1].isEmpty() || f[3].isEmpty() || f[4].isEmpty()) {
                    throw new MalformedException(line, "TREE needs id, pid, fallback and meta");
                }
                if (fd == null) {
                    throw new MalformedException(line, "TREE without its listener");
                }
                return new Tree(f[1], number(line, f[2], Integer.MAX_VALUE), f[3], f[4], fd);
            }
            case "CONN" -> {
                if (f.length != 2 || f[1].isEmpty() || f[1].length() > 19 || !f[1].chars().allMatch(c -> c >= '0' && c <= '9')) {
                    throw new MalformedException(line, "CONN needs a ticket");
                }
                if (fd == null) {
                    throw new MalformedException(line, "CONN without its connection");
                }
                return new Conn(Long.parseLong(f[1]), fd);
            }
            default -> throw new MalformedException(line, "unknown reply");
        }
    }

    private static int number(String line, String text, int max) throws MalformedException {
        if (text.isEmpty() || text.length() > 10 || !text.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new MalformedException(line, "not a number: " + text);
        }
        long n = Long.parseLong(text);
        if (n > max) {
            throw new MalformedException(line, "number out of range: " + text);
        }
        return (int) n;
    }

    private static void closeQuietly(Fd fd) {
        try {
            fd.close();
        } catch (NativeException e) {
            // nothing to do: the number is released anyway
        }
    }
}
