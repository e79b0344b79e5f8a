/**
 * The contract between the supervisor and its privileged plugins, versioned apart from the core
 * services so that a change here does not move {@code org.attenuator.core} and the reverse: the
 * services such a plugin offers ({@link org.attenuator.core.spi.ListenerCustodian} with its
 * {@link org.attenuator.core.spi.InFlightRecorder}, {@link org.attenuator.core.spi.PolicySource},
 * {@link org.attenuator.core.spi.KeeperStatus}), and the tree types they are handed
 * ({@link org.attenuator.core.spi.TreeStatus}, {@link org.attenuator.core.spi.TreeSpec},
 * {@link org.attenuator.core.spi.TreePolicy}, {@link org.attenuator.core.spi.RoutedDenials}). A
 * plugin such as the fallback imports this package and {@code org.attenuator.api}, never
 * {@code org.attenuator.core}.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package org.attenuator.core.spi;
