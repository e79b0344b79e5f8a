package org.attenuator.cli.internal;

/** Signals of this JVM forwarded to a target until {@link #close()}. */
interface SignalForwarding extends AutoCloseable {
    @Override
    void close();
}
