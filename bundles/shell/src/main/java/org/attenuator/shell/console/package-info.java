/**
 * Console helpers shared by Attenuator's Karaf command bundles (the main shell and the learning
 * commands): checks for optional services, copying a launched program's output, and the tables of
 * the listing commands.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("0.2.0")
package org.attenuator.shell.console;
