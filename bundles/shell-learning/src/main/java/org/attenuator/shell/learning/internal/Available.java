package org.attenuator.shell.learning.internal;

/**
 * The services these commands use are optional references, checked here, so that Karaf
 * registers the commands even while a service is down (a bad store configuration, a supervisor
 * that could not start) and each then fails with one line naming what is missing.
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
