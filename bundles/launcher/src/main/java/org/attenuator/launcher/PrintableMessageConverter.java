package org.attenuator.launcher;

import ch.qos.logback.classic.pattern.MessageConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;

/**
 * Logback's {@code %msg} through {@link Printable}: a log line quotes what others sent (an agent
 * peer's metadata, a profile name), and the log goes to the terminal that started the agent
 * (conf/logback.xml's {@code %printable}).
 */
public final class PrintableMessageConverter extends MessageConverter {

    @Override
    public String convert(ILoggingEvent event) {
        return Printable.of(super.convert(event));
    }
}
