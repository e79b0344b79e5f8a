package org.attenuator.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Map;
import org.attenuator.api.SupervisedTree;
import org.attenuator.api.TargetGoneException;
import org.junit.jupiter.api.Test;

/** The fakes read and fail as the supervisor's real types do. */
class FakesTest {

    @Test
    void memoryReadsRegionsAndFailsOutsideThemAndOnceGone() {
        TargetMemory memory = new TargetMemory().string(0x1000, "/etc/shadow").pointers(0x2000, 0x1000, 0);
        assertEquals("/etc/shadow", memory.readString(0x1000, 4096));
        assertEquals("/etc", memory.readString(0x1000, 4));
        assertEquals(0x1000, memory.readBytes(0x2000, 16).order(ByteOrder.LITTLE_ENDIAN).getLong(0));
        UncheckedIOException bad = assertThrows(UncheckedIOException.class, () -> memory.readBytes(0x2008, 9));
        assertEquals("process_vm_readv: Bad address (EFAULT)", bad.getCause().getMessage());
        memory.gone();
        assertThrows(TargetGoneException.class, () -> memory.readString(0x1000, 4096));
    }

    @Test
    void anEventHasSixArgumentsAndTheTreesRootAsCallerUnlessToldOtherwise() {
        FakeTree tree = FakeTree.of("t1", 42).with(SupervisedTree.EXECUTABLE, "/bin/x");
        FakeEvent connect = FakeEvent.of(tree, "connect", 42, 3, 0x1000, 16);
        assertEquals(42, connect.pid());
        assertEquals(16, connect.arg(2));
        assertEquals(0, connect.arg(5));
        assertEquals(7, connect.withPid(7).pid());
        assertEquals(Map.of(SupervisedTree.ID, "t1", SupervisedTree.PID, 42L, SupervisedTree.EXECUTABLE, "/bin/x"),
                tree.properties());
        assertThrows(IllegalArgumentException.class, () -> FakeEvent.of(tree, "x", 1, 1, 2, 3, 4, 5, 6, 7));
    }

    @Test
    void aSocketAddressInMemoryReadsAsTheApiDecodesIt() {
        ByteBuffer sin = ByteBuffer.allocate(16);
        sin.order(ByteOrder.LITTLE_ENDIAN).putShort(0, (short) 2);
        sin.order(ByteOrder.BIG_ENDIAN).putShort(2, (short) 25).put(4, (byte) 127).put(7, (byte) 1);
        TargetMemory memory = new TargetMemory().put(0x3000, sin.array());
        assertEquals(new InetSocketAddress("127.0.0.1", 25), memory.readSocketAddress(0x3000, 16));
    }

    /** A configuration type as a component declares one. */
    @interface Settings {
        int rate() default 20;

        String target();

        long budget();
    }

    @Test
    void aConfigurationTakesTheGivenValuesElseTheDefaultsElseWhatDsLeaves() {
        Settings s = ComponentConfig.of(Settings.class, Map.of("target", "(meta.team=blue)"));
        assertEquals(20, s.rate());
        assertEquals("(meta.team=blue)", s.target());
        assertEquals(0L, s.budget());
        assertEquals(Settings.class, s.annotationType());
        assertEquals(5, ComponentConfig.of(Settings.class, Map.of("rate", 5)).rate());
        assertEquals(null, ComponentConfig.of(Settings.class, Map.of()).target());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ComponentConfig.of(Settings.class, Map.of("ratee", 5)));
        assertEquals(Settings.class.getName() + " has no element ratee", e.getMessage());
    }
}
