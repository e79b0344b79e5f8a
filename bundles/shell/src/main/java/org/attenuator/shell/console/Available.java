package org.attenuator.shell.console;

/**
 * Karaf registers a bundle's commands only once every mandatory {@code @Reference} of every
 * command is satisfied. So that commands answer even while a service is down (a supervisor that
 * could not start, a bad store configuration), they take their services as optional references
 * and check them here, failing with one line that names what is missing.
 */
public final class Available {

    private Available() {
    }

    public static <T> T service(T service, Class<T> type) {
        if (service == null) {
            throw new IllegalStateException("the " + type.getSimpleName()
                    + " service is not available here (see seccomp:doctor and log:display)");
        }
        return service;
    }
}
