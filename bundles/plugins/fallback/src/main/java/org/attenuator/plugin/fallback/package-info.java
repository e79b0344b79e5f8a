/**
 * What other bundles may know of the fallback plugin: {@link org.attenuator.plugin.fallback.Fallback},
 * its configuration PID, configuration keys and tree property. Everything else is internal.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package org.attenuator.plugin.fallback;
