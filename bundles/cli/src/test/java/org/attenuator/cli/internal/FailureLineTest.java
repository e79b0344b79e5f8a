package org.attenuator.cli.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class FailureLineTest {

    @Test
    void everyWayOfPrintingToStderrIsEscaped() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream err = new EscapingPrintStream(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        err.println("attenuator compile: x\u001b]0;title\u0007: bad");
        err.printf("attenuator: learned %s%n", "re\u001bad");
        err.print('\u001b');
        err.println((Object) "\u001b");
        assertEquals("attenuator compile: x\\x1b]0;title\\x07: bad\nattenuator: learned re\\x1bad\n\\x1b\\x1b\n",
                bytes.toString(StandardCharsets.UTF_8).replace(System.lineSeparator(), "\n"));
    }
}
