package org.attenuator.core.test;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import org.slf4j.LoggerFactory;

/** The WARN and ERROR lines Attenuator logs while open, as an administrator would read them. */
public final class LogLines implements AutoCloseable {

    private final Logger logger = (Logger) LoggerFactory.getLogger("org.attenuator");
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

    public LogLines() {
        appender.start();
        logger.addAppender(appender);
    }

    /** The formatted messages so far, WARN and above. */
    public List<String> warnings() {
        synchronized (appender) { // AppenderBase appends under its own lock
            return appender.list.stream().filter(e -> e.getLevel().isGreaterOrEqual(Level.WARN))
                    .map(ILoggingEvent::getFormattedMessage).toList();
        }
    }

    /** The warnings that contain {@code text}. */
    public List<String> warningsWith(String text) {
        return warnings().stream().filter(l -> l.contains(text)).toList();
    }

    @Override
    public void close() {
        logger.detachAppender(appender);
        appender.stop();
    }
}
