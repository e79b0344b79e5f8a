/**
 * The SPI for Attenuator policy plugins.
 *
 * <p>A plugin registers {@link org.attenuator.api.SyscallHandler} services to decide the syscalls
 * that a supervised tree's filter hands to the supervisor (SCMP_ACT_NOTIFY), and
 * {@link org.attenuator.api.SyscallObserver} services to watch every notification with its final
 * decision. This package is all a plugin author needs.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.3.0")
package org.attenuator.api;
