package org.attenuator.launcher;

import ch.qos.logback.classic.pattern.ClassicConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;
import java.util.Locale;

/**
 * A log line's level as a command's own warnings name it ({@code warning}, {@code error}):
 * conf/logback.xml's {@code %severity}, in the lines a command prints while no log level was asked
 * for ({@code attenuator: warning: ...}, as the command line's own warnings read).
 */
public final class SeverityConverter extends ClassicConverter {

    @Override
    public String convert(ILoggingEvent event) {
        String level = event.getLevel().toString().toLowerCase(Locale.ROOT);
        return level.equals("warn") ? "warning" : level;
    }
}
