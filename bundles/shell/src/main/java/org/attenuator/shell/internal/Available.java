package org.attenuator.shell.internal;

/**
 * Karaf registers a bundle's commands only once every mandatory {@code @Reference} of every
 * command is satisfied. So that {@code seccomp:doctor} answers even when the supervisor could not
 * start (exactly when it is needed), the other commands take their services as optional
 * references and check them here, failing with one line.
 */
final class Available {

    private Available() {
    }

    static <T> T service(T service, Class<T> type) {
        if (service == null) {
            throw new IllegalStateException("the " + type.getSimpleName()
                    + " service is not available here (see seccomp:doctor and log:display)");
        }
        return service;
    }
}
