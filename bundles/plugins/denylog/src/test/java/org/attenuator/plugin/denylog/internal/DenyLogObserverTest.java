package org.attenuator.plugin.denylog.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.attenuator.api.Decision;
import org.attenuator.api.SupervisedTree;
import org.attenuator.testkit.ComponentConfig;
import org.attenuator.testkit.FakeEvent;
import org.attenuator.testkit.FakeTree;
import org.attenuator.testkit.TargetMemory;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class DenyLogObserverTest {

    private final ObjectMapper json = new ObjectMapper();
    private ListAppender<ILoggingEvent> appender;
    private Logger logger;
    private final AtomicLong clock = new AtomicLong();

    @BeforeEach
    void captureTheLogger() {
        logger = ((LoggerContext) LoggerFactory.getILoggerFactory()).getLogger(DenyLogObserver.LOGGER);
        appender = new ListAppender<>();
        appender.start();
        logger.detachAndStopAllAppenders();
        logger.setAdditive(false);
        logger.addAppender(appender);
    }

    private static DenyLogObserver.Config config(boolean audit, int rate) {
        return ComponentConfig.of(DenyLogObserver.Config.class, Map.of("audit", audit, "ratePerSecond", rate));
    }

    private List<JsonNode> lines() throws Exception {
        List<JsonNode> result = new ArrayList<>();
        for (ILoggingEvent e : appender.list) {
            String line = e.getFormattedMessage();
            assertTrue(!line.contains("\n"), line);
            result.add(json.readTree(line));
        }
        return result;
    }

    @Test
    void logsDenialsOfALiveProcessAsJsonLines() throws Exception {
        DenyLogObserver observer = new DenyLogObserver(config(true, 3), logger, Path.of("/proc"), clock::get);
        long self = ProcessHandle.current().pid();
        SupervisedTree tree = new FakeTree("t7", self, Map.of(SupervisedTree.EXECUTABLE, "/usr/bin/java"));
        TargetMemory mem = new TargetMemory().string(0x1000, "/etc/shadow \"quoted\"\n");
        observer.answered(FakeEvent.of(tree, "openat", 257, 0xffffff9cL, 0x1000, 0x2, 0).withReader(mem),
                Decision.deny(13), "policy-x");
        observer.answered(FakeEvent.of(tree, "read", 0, 3).withReader(mem), Decision.allow(), "learning");
        observer.audited(FakeEvent.of(tree, "mkdir", 83, 0x1000, 0755).withReader(mem), Decision.deny(1), "undecided");
        mem.gone();
        observer.answered(FakeEvent.of(tree, "unlink", 87, 0x1000).withReader(mem), Decision.kill(), "policy-y");

        List<JsonNode> lines = lines();
        assertEquals(3, lines.size());
        JsonNode deny = lines.get(0);
        assertEquals("deny", deny.get("event").asText());
        assertEquals("t7", deny.get("tree").asText());
        assertEquals(self, deny.get("pid").asLong());
        assertEquals(self, deny.get("tid").asLong());
        assertTrue(deny.get("exe").asText().contains("java"), deny.toString());
        assertTrue(deny.get("cmdline").size() > 0);
        assertEquals("openat", deny.get("syscall").asText());
        assertEquals("x86_64", deny.get("arch").asText());
        assertEquals("/etc/shadow \"quoted\"\n", deny.at("/args/path").asText());
        assertEquals("O_RDWR", deny.at("/args/flags").asText());
        assertEquals("0xffffff9c", deny.at("/raw/0").asText());
        assertEquals("deny", deny.get("decision").asText());
        assertEquals("EACCES", deny.get("errno").asText());
        assertEquals("policy-x", deny.get("decidedBy").asText());

        JsonNode audit = lines.get(1);
        assertEquals("audit", audit.get("event").asText());
        assertEquals("0755", audit.at("/args/mode").asText());
        assertEquals("EPERM", audit.get("errno").asText());

        JsonNode kill = lines.get(2);
        assertEquals("kill", kill.get("event").asText());
        assertEquals("target gone", kill.get("note").asText());
        assertEquals("0x1000", kill.at("/args/path").asText());
    }

    @Test
    void rateLimitedWithDroppedCountsAndSummary() throws Exception {
        DenyLogObserver observer = new DenyLogObserver(config(false, 2), logger, Path.of("/nonexistent"), clock::get);
        SupervisedTree tree = new FakeTree("t8", 1, Map.of(SupervisedTree.EXECUTABLE, "/bin/x"));
        TargetMemory mem = new TargetMemory();
        FakeEvent ptrace = FakeEvent.of(tree, "ptrace", 101, 16, 1).withPid(99999999).withReader(mem);
        for (int i = 0; i < 10; i++) {
            observer.answered(ptrace, Decision.deny(1), "p");
        }
        // audit off: not logged
        observer.audited(FakeEvent.of(tree, "ptrace", 101).withPid(99999999).withReader(mem), Decision.deny(1), "p");
        clock.addAndGet(1_000_000_000L);
        observer.answered(ptrace, Decision.deny(1), "p");
        for (int i = 0; i < 5; i++) {
            observer.answered(ptrace, Decision.deny(1), "p");
        }
        observer.treeEnded(tree);
        List<JsonNode> lines = lines();
        assertEquals(5, lines.size(), lines.toString());
        assertEquals("/bin/x", lines.get(0).get("exe").asText());
        assertTrue(lines.get(0).get("pid") == null);
        assertEquals(8, lines.get(2).get("dropped").asLong());
        assertTrue(lines.get(3).get("dropped") == null);
        assertEquals("dropped", lines.get(4).get("event").asText());
        assertEquals("ptrace", lines.get(4).get("syscall").asText());
        assertEquals(4, lines.get(4).get("dropped").asLong());
    }
}
