package org.attenuator.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import org.junit.jupiter.api.Test;

class PrintableTest {

    @Test
    void controlCharactersAreWrittenOut() {
        assertEquals("evil\\x1b[2Jname.json: no such file", Printable.of("evil\u001b[2Jname.json: no such file"));
        assertEquals("a\\x0db\\x7fc\\x9bd\\u202ee", Printable.of("a\rb\u007fc\u009bd\u202ee"));
        assertEquals("two\nlines\tand a tab, Grüße", Printable.of("two\nlines\tand a tab, Grüße"));
    }

    @Test
    void aLoggedArgumentFromAPeerIsWrittenOut() {
        LoggerContext context = new LoggerContext();
        LoggingEvent event = new LoggingEvent("test", context.getLogger("intake"), Level.WARN,
                "agent connection from {} rejected: {}", null, new Object[] {"uid 1000", "no profile \u001b]0;owned\u0007"});
        assertEquals("agent connection from uid 1000 rejected: no profile \\x1b]0;owned\\x07",
                new PrintableMessageConverter().convert(event));
    }
}
