package org.attenuator.plugin.fallback.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.attenuator.linux.Fd;
import org.attenuator.linux.Memfd;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class KeeperReplyTest {

    @Test
    void eachReplyOfProtocolOne() throws Exception {
        assertEquals(new KeeperReply.Ok(), KeeperReply.parse("OK", null));
        assertEquals(new KeeperReply.End(), KeeperReply.parse("END", null));
        assertEquals(new KeeperReply.Pong(), KeeperReply.parse("PONG", null));
        assertEquals(new KeeperReply.Err("no such tree"), KeeperReply.parse("ERR no such tree", null));
        assertEquals(new KeeperReply.Trees(3), KeeperReply.parse("TREES 3", null));
        try (Fd listener = Memfd.create("listener", Memfd.CLOEXEC)) {
            KeeperReply.Tree t = assertInstanceOf(KeeperReply.Tree.class,
                    KeeperReply.parse("TREE s1-a.t7 4242 default=errno:1,110=allow p=default", listener));
            assertEquals("s1-a.t7", t.treeId());
            assertEquals(4242, t.pid());
            assertEquals("default=errno:1,110=allow", t.spec());
            assertEquals("p=default", t.meta());
            assertTrue(t.listener() == listener, "the TREE reply carries the fd");
        }
    }

    /** The corruption this parser must catch rather than act on: a reply glued to the next, or cut. */
    @ParameterizedTest
    @ValueSource(strings = {"OKOK", "OK ", "TREES", "TREES -1", "TREES 99999999999", "TREES x",
        "ERR", "ERR ", "TREE a 1 default=allow", "END 1", "PONGOK", "", "HELLO 1"})
    void anythingElseIsMalformed(String line) throws Exception {
        KeeperReply.MalformedException e = assertThrows(KeeperReply.MalformedException.class,
                () -> KeeperReply.parse(line, null));
        assertTrue(e.getMessage().startsWith("keeper: "), e.getMessage());
    }

    @Test
    void anFdWithAReplyThatHasNoneIsClosedAndRefused() throws Exception {
        Fd fd = Memfd.create("stray", Memfd.CLOEXEC);
        assertThrows(KeeperReply.MalformedException.class, () -> KeeperReply.parse("OK", fd));
        assertFalse(fd.isOpen(), "the stray fd is closed");
        Fd second = Memfd.create("stray", Memfd.CLOEXEC);
        assertThrows(KeeperReply.MalformedException.class, () -> KeeperReply.parse("TREE a 1 default=allow", second));
        assertFalse(second.isOpen(), "closed when the TREE line is malformed");
    }

    /** CONN answers no request: it carries a connection of the agent's socket, and needs it. */
    @Test
    void aConnCarriesItsConnectionAndNeedsIt() throws Exception {
        try (Fd conn = Memfd.create("conn", Memfd.CLOEXEC)) {
            KeeperReply.Conn c = assertInstanceOf(KeeperReply.Conn.class, KeeperReply.parse("CONN 12", conn));
            assertEquals(12, c.ticket());
            assertTrue(c.connection() == conn, "the CONN reply carries the fd");
        }
        assertThrows(KeeperReply.MalformedException.class, () -> KeeperReply.parse("CONN 1", null));
        for (String bad : new String[] {"CONN", "CONN x", "CONN 1 2", "CONN 99999999999999999999"}) {
            Fd fd = Memfd.create("conn", Memfd.CLOEXEC);
            assertThrows(KeeperReply.MalformedException.class, () -> KeeperReply.parse(bad, fd), bad);
            assertFalse(fd.isOpen(), bad + ": its fd closed");
        }
    }

    @Test
    void aTreeWithoutItsListenerIsMalformed() {
        assertThrows(KeeperReply.MalformedException.class, () -> KeeperReply.parse("TREE a 1 default=allow m", null));
    }

    @Test
    void requestsAsTheKeeperReadsThem() throws Exception {
        try (Fd fd = Memfd.create("l", Memfd.CLOEXEC)) {
            assertEquals("HELLO 2", new KeeperRequest.Hello().line());
            assertEquals("SHM", new KeeperRequest.Shm(fd).line());
            assertTrue(new KeeperRequest.Shm(fd).fd() == fd);
            KeeperRequest.Add add = new KeeperRequest.Add("s1.t1", 77, "default=errno:1", "-", fd, false);
            assertEquals("ADD s1.t1 77 default=errno:1 -", add.line());
            assertEquals("KEEP s1.k1 78 default=allow,59=errno:13 -",
                    new KeeperRequest.Add("s1.k1", 78, "default=allow,59=errno:13", "-", fd, true).line());
            assertTrue(add.fd() == fd);
            assertEquals("DEL s1.t1", new KeeperRequest.Del("s1.t1").line());
            assertEquals("PING", new KeeperRequest.Ping().line());
            assertEquals(null, new KeeperRequest.Del("x").fd());
            // the keeper echoes an ADD as TREE: at most 4095 bytes with the newline
            String meta = "m".repeat(4095 - "ADD s1.t1 77 default=errno:1 ".length() - 1);
            assertEquals(4094, new KeeperRequest.Add("s1.t1", 77, "default=errno:1", meta, fd, false).line().length());
            assertThrows(IllegalArgumentException.class,
                    () -> new KeeperRequest.Add("s1.t1", 77, "default=errno:1", meta + "m", fd, false));
        }
    }
}
