package org.attenuator.cli.internal;

import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Forwards SIGINT and SIGTERM that reach this JVM to the target while it runs, instead of letting
 * them end the JVM; {@link #close()} restores the previous handlers. Only for a JVM that was not
 * started with the relayed signals blocked ({@link SignalRelay}): it cannot hold a signal that
 * arrives before the target exists, and HotSpot keeps SIGQUIT and SIGUSR2 for itself.
 *
 * <p>It uses sun.misc.Signal (module jdk.unsupported) through reflection on the system class
 * loader: the embedded Felix does not export sun.misc, and this bundle does not need it to. When the
 * class is missing (another JVM), nothing is installed and a signal ends the JVM as usual, whose
 * shutdown then kills the target (LaunchedProcess.close from the finally block does not run in that
 * case; the target notices its stdio closing).
 */
final class SignalForwarder implements SignalForwarding {

    private static final Logger LOG = LoggerFactory.getLogger(SignalForwarder.class);
    private static final String[] SIGNALS = {"INT", "TERM"};

    private final List<Object[]> restore; // {Signal, previous handler}
    private final Method handle;

    private SignalForwarder(List<Object[]> restore, Method handle) {
        this.restore = restore;
        this.handle = handle;
    }

    static SignalForwarder install(IntConsumer target) {
        List<Object[]> restore = new ArrayList<>();
        Method handle = null;
        try {
            ClassLoader system = ClassLoader.getSystemClassLoader();
            Class<?> signalClass = system.loadClass("sun.misc.Signal");
            Class<?> handlerClass = system.loadClass("sun.misc.SignalHandler");
            handle = signalClass.getMethod("handle", signalClass, handlerClass);
            Method getNumber = signalClass.getMethod("getNumber");
            Object handler = Proxy.newProxyInstance(system, new Class<?>[] {handlerClass}, (proxy, method, args) -> {
                if (method.getName().equals("handle")) {
                    target.accept((Integer) getNumber.invoke(args[0]));
                    return null;
                }
                return switch (method.getName()) {
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    default -> "SignalForwarder";
                };
            });
            for (String name : SIGNALS) {
                Object signal = signalClass.getConstructor(String.class).newInstance(name);
                Object previous = handle.invoke(null, signal, handler);
                restore.add(new Object[] {signal, previous});
            }
            return new SignalForwarder(restore, handle);
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            LOG.debug("signals are not forwarded: {}", e.toString());
            new SignalForwarder(restore, handle).close(); // undo what was installed
            return new SignalForwarder(List.of(), null);
        }
    }

    /** Whether the handlers are in place. */
    boolean active() {
        return handle != null;
    }

    @Override
    public void close() {
        if (handle == null) {
            return;
        }
        for (Object[] r : restore) {
            try {
                handle.invoke(null, r[0], r[1]);
            } catch (ReflectiveOperationException | RuntimeException e) {
                LOG.debug("cannot restore the handler of {}: {}", r[0], e.toString());
            }
        }
    }
}
