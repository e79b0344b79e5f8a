/**
 * The services behind every face of Attenuator (the standalone command line and the Karaf shell):
 * what this machine offers ({@link org.attenuator.core.Doctor}), and later launch and supervision.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("0.7.0")
package org.attenuator.core;
