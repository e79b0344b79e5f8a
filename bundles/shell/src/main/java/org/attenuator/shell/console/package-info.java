/**
 * Console helpers shared by Attenuator's Karaf command bundles (the main shell and the learning
 * commands): checks for optional services and copying a launched program's output.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("0.1.0")
package org.attenuator.shell.console;
