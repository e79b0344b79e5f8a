package org.attenuator.launcher.internal;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.PatternLayout;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.util.ContextInitializer;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import ch.qos.logback.core.hook.DefaultShutdownHook;
import ch.qos.logback.core.spi.ContextAwareBase;
import ch.qos.logback.core.util.ContextUtil;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Arrays;
import org.attenuator.launcher.PrintableMessageConverter;
import org.attenuator.launcher.SeverityConverter;
import org.slf4j.Logger;

/**
 * Logback's configuration for the distribution's unchanged {@code conf/logback.xml}, built in code:
 * reading that file with Joran (an XML parser, the model, reflection) cost about 90 ms CPU at every
 * start, a tenth of a {@code run}'s. It applies only while the configured file is byte for byte the
 * one shipped (this class's resource {@code logback.xml}, which the build copies to {@code conf/}) and
 * no deny-log file is asked for (the file's {@code <if>} branch); otherwise logback reads the file as
 * it always did, so an edited {@code conf/logback.xml} still rules.
 *
 * <p>What the file says, in code: errors to stderr with the pattern {@link #PATTERN} ({@code %printable}: the message with control
 * characters written out), or {@link #COMMAND_PATTERN} while no level is asked for, the root level
 * from {@code ATTENUATOR_LOG_LEVEL} (default WARN), the logger {@value #DENY_LOG_LOGGER} off, and
 * logback stopped at JVM exit. {@code StandardLoggingTest} checks it against Joran's reading of the file.
 */
public final class StandardLogging extends ContextAwareBase implements Configurator {

    static final String PATTERN = "%d{HH:mm:ss.SSS} %-5level [%thread] %logger{24} - %printable%n";
    /** The file's pattern while no level is asked for: a command's warnings as its own lines. */
    static final String COMMAND_PATTERN = "attenuator: %severity: %printable%n";
    /** The file's {@code conversionRule} for {@code %severity}. */
    static final String SEVERITY = "severity";
    /** The file's {@code conversionRule}: {@code %msg} with control characters written out. */
    static final String PRINTABLE = "printable";
    static final String LEVEL_VARIABLE = "ATTENUATOR_LOG_LEVEL";
    static final String DENY_LOG_LOGGER = "attenuator.denylog";
    /** DenyLogOption's system property: set, the file's deny-log branch applies. */
    static final String DENY_LOG_FILE_PROPERTY = "attenuator.denylog.file";
    private static final String SHIPPED = "logback.xml";

    /** Public, for logback's ServiceLoader. */
    public StandardLogging() {
    }

    @Override
    public ExecutionStatus configure(LoggerContext context) {
        if (System.getProperty(DENY_LOG_FILE_PROPERTY) != null
                || !isShipped(System.getProperty(ContextInitializer.CONFIG_FILE_PROPERTY))) {
            return ExecutionStatus.NEUTRAL; // logback reads the file
        }
        apply(context);
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }

    /** True when {@code configured} (a path) holds exactly the shipped configuration. */
    static boolean isShipped(String configured) {
        if (configured == null) {
            return false;
        }
        try (InputStream shipped = StandardLogging.class.getResourceAsStream(SHIPPED)) {
            return shipped != null && Arrays.equals(shipped.readAllBytes(), Files.readAllBytes(Path.of(configured)));
        } catch (IOException | InvalidPathException unreadable) {
            return false; // logback reads it, or says why it cannot
        }
    }

    /** The shipped file's configuration, without the deny-log branch. */
    static void apply(LoggerContext context) {
        PatternLayout layout = new PatternLayout();
        layout.setContext(context);
        layout.getInstanceConverterMap().put(PRINTABLE, PrintableMessageConverter::new);
        layout.getInstanceConverterMap().put(SEVERITY, SeverityConverter::new);
        layout.setPattern(levelVariable() == null ? COMMAND_PATTERN : PATTERN);
        layout.start();
        LayoutWrappingEncoder<ILoggingEvent> encoder = new LayoutWrappingEncoder<>();
        encoder.setContext(context);
        encoder.setLayout(layout);
        encoder.start();
        ConsoleAppender<ILoggingEvent> stderr = new ConsoleAppender<>();
        stderr.setContext(context);
        stderr.setName("STDERR");
        stderr.setTarget("System.err");
        stderr.setEncoder(encoder);
        stderr.start();
        ch.qos.logback.classic.Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.setLevel(level());
        root.addAppender(stderr);
        ch.qos.logback.classic.Logger denyLog = context.getLogger(DENY_LOG_LOGGER);
        denyLog.setLevel(Level.OFF);
        denyLog.setAdditive(false);
        DefaultShutdownHook hook = new DefaultShutdownHook();
        hook.setContext(context);
        new ContextUtil(context).addOrReplaceShutdownHook(hook);
    }

    /** As logback substitutes {@code ${ATTENUATOR_LOG_LEVEL:-WARN}}: a system property, else the environment, else WARN. */
    private static Level level() {
        String value = levelVariable();
        return value == null ? Level.WARN : Level.toLevel(value, Level.DEBUG);
    }

    /** {@code ATTENUATOR_LOG_LEVEL} as logback looks it up: a system property, else the environment; null if neither. */
    private static String levelVariable() {
        String value = System.getProperty(LEVEL_VARIABLE);
        return value != null ? value : System.getenv(LEVEL_VARIABLE);
    }
}
