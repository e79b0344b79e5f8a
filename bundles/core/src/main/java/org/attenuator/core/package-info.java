/**
 * The services behind every face of Attenuator (the standalone command line and the Karaf shell):
 * what this machine offers ({@link org.attenuator.core.Doctor}), launching
 * ({@link org.attenuator.core.Launcher}) and supervising ({@link org.attenuator.core.Supervisor})
 * process trees. The types privileged plugins implement or are handed live in
 * {@code org.attenuator.core.spi}.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package org.attenuator.core;
