package org.attenuator.shell.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConsoleTableTest {

    private static final ConsoleTable TREES = new ConsoleTable("ID", "PID", "POLICY")
            .row("t1", 17, "a-rather-long-policy-name")
            .row("t22", 123456, "web\tserver\nprofile")
            .row("t3", 1, null);

    @Test
    void noFormatIsTheCellsAsTheyAreSeparatedByTabsOneRowALine() {
        assertEquals(List.of("t1\t17\ta-rather-long-policy-name", "t22\t123456\tweb server profile", "t3\t1\t"),
                print(true));
    }

    @Test
    void formattedHasTheHeaderAndEveryCell() {
        List<String> lines = print(false);
        assertEquals(List.of("ID", "PID", "POLICY"), List.of(lines.get(0).strip().split("\\s*\\|\\s*")));
        assertTrue(lines.stream().anyMatch(l -> l.contains("a-rather-long-policy-name")), String.join("\n", lines));
    }

    private static List<String> print(boolean noFormat) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        TREES.print(new PrintStream(bytes, true, StandardCharsets.UTF_8), noFormat);
        return bytes.toString(StandardCharsets.UTF_8).lines().toList();
    }
}
