/**
 * Learning: profiles that write themselves. A {@link org.attenuator.plugin.learning.ProfileStore}
 * keeps one OCI seccomp profile per learning key, merged over runs; a
 * {@link org.attenuator.plugin.learning.LearningListener} watches a learning run as it goes.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.3.0")
package org.attenuator.plugin.learning;
