package org.attenuator.cli.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class TableTest {

    @Test
    void columnsAreAsWideAsTheirWidestCell() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        new Table("NAME", "OK").row("USER_NOTIF", "yes").row("x", "no").print(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        assertEquals("NAME        OK\nUSER_NOTIF  yes\nx           no\n", bytes.toString(StandardCharsets.UTF_8));
    }
}
