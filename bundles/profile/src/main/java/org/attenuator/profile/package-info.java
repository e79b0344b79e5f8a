/**
 * OCI / Docker seccomp profiles: the model ({@link org.attenuator.profile.Profile}), reading JSON
 * (refusing a field the format does not have) and writing it back, resolving a profile to a
 * {@link org.attenuator.bpf.Policy} for an architecture set, capability set and kernel, and the
 * {@link org.attenuator.profile.ProfileCompiler} the commands use. Every profile file is read through
 * {@link org.attenuator.profile.ProfileFiles}: regular files of at most 1 MiB only.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("0.3.0")
package org.attenuator.profile;
