package org.attenuator.launcher.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.spi.Configurator.ExecutionStatus;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.classic.util.ContextInitializer;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.CoreConstants;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The configuration in code is what logback makes of the shipped conf/logback.xml, and it replaces
 * logback's reading of the file only for that very file.
 */
class StandardLoggingTest {

    @TempDir
    Path dir;
    private final List<LoggerContext> contexts = new ArrayList<>();

    @AfterEach
    void restore() {
        System.clearProperty(StandardLogging.LEVEL_VARIABLE);
        System.clearProperty(StandardLogging.DENY_LOG_FILE_PROPERTY);
        System.clearProperty(ContextInitializer.CONFIG_FILE_PROPERTY);
        contexts.forEach(LoggerContext::stop);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "INFO", "debug", "nonsense"})
    void theCodeConfiguresWhatLogbackReadsFromTheShippedFile(String level) throws Exception {
        if (!level.isEmpty()) {
            System.setProperty(StandardLogging.LEVEL_VARIABLE, level);
        }
        LoggerContext fromFile = context();
        JoranConfigurator joran = new JoranConfigurator();
        joran.setContext(fromFile);
        joran.doConfigure(StandardLogging.class.getResource("logback.xml"));
        LoggerContext inCode = context();
        StandardLogging.apply(inCode);

        assertEquals(describe(fromFile), describe(inCode));
        assertTrue(describe(inCode).contains("peer sent \\x1b[2J!"), describe(inCode));
    }

    @Test
    void aCommandsWarningsReadAsItsOwnLinesUntilALevelIsAskedFor() {
        LoggerContext command = context();
        StandardLogging.apply(command);
        assertTrue(describe(command).contains(" renders=attenuator: warning: peer sent \\x1b[2J!\n"), describe(command));
        System.setProperty(StandardLogging.LEVEL_VARIABLE, "WARN");
        LoggerContext asked = context();
        StandardLogging.apply(asked);
        assertTrue(describe(asked).contains(" WARN  [intake] o.attenuator.core.intake - peer sent \\x1b[2J!\n"), describe(asked));
    }

    @Test
    void onlyTheShippedFileIsConfiguredInCode() throws Exception {
        Path file = dir.resolve("logback.xml");
        try (InputStream shipped = StandardLogging.class.getResourceAsStream("logback.xml")) {
            Files.write(file, shipped.readAllBytes());
        }
        System.setProperty(ContextInitializer.CONFIG_FILE_PROPERTY, file.toString());
        assertEquals(ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY, configure());

        System.setProperty(StandardLogging.DENY_LOG_FILE_PROPERTY, dir.resolve("denylog.jsonl").toString());
        assertEquals(ExecutionStatus.NEUTRAL, configure(), "a deny-log: logback reads the file's <if>");
        System.clearProperty(StandardLogging.DENY_LOG_FILE_PROPERTY);

        Files.writeString(file, Files.readString(file).replace("%-5level", "%level"));
        assertEquals(ExecutionStatus.NEUTRAL, configure(), "an edited file: logback reads it");
        System.setProperty(ContextInitializer.CONFIG_FILE_PROPERTY, dir.resolve("missing.xml").toString());
        assertEquals(ExecutionStatus.NEUTRAL, configure(), "no such file: logback says so");
        System.clearProperty(ContextInitializer.CONFIG_FILE_PROPERTY);
        assertEquals(ExecutionStatus.NEUTRAL, configure(), "no file configured: logback's defaults");
    }

    private ExecutionStatus configure() {
        LoggerContext context = context();
        StandardLogging logging = new StandardLogging();
        logging.setContext(context);
        return logging.configure(context);
    }

    private LoggerContext context() {
        LoggerContext context = new LoggerContext();
        contexts.add(context);
        return context;
    }

    /** One line as a peer could make it log: a control character in the message, a fixed time. */
    private static LoggingEvent sample(LoggerContext context) {
        LoggingEvent event = new LoggingEvent(StandardLoggingTest.class.getName(),
                context.getLogger("org.attenuator.core.intake"), Level.WARN, "peer sent \u001b[2J{}", null, new Object[] {"!"});
        event.setTimeStamp(0);
        event.setThreadName("intake");
        return event;
    }

    /** What a user of the context sees: levels, where each logger writes and how, and the exit hook. */
    private static String describe(LoggerContext context) {
        StringBuilder s = new StringBuilder();
        for (Logger logger : List.of(context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME),
                context.getLogger(StandardLogging.DENY_LOG_LOGGER), context.getLogger("org.attenuator.core"))) {
            s.append(logger.getName()).append(" level=").append(logger.getLevel()).append(" effective=")
                    .append(logger.getEffectiveLevel()).append(" additive=").append(logger.isAdditive());
            for (var it = logger.iteratorForAppenders(); it.hasNext(); ) {
                Appender<ILoggingEvent> a = it.next();
                s.append(" appender ").append(a.getName()).append(' ').append(a.getClass().getName());
                if (a instanceof ConsoleAppender<ILoggingEvent> console) {
                    s.append(" target=").append(console.getTarget()).append(" renders=")
                            .append(new String(console.getEncoder().encode(sample(context)), StandardCharsets.UTF_8))
                            .append(" started=").append(console.isStarted());
                }
            }
            s.append('\n');
        }
        s.append("shutdown hook=").append(context.getObject(CoreConstants.SHUTDOWN_HOOK_THREAD) != null);
        return s.toString();
    }
}
