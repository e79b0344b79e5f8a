package org.attenuator.profile.internal;

/** A kernel version as far as {@code minKernel} cares: major and minor ("6.18.0-1-amd64" is 6.18). */
public record KernelVersion(int major, int minor) {

    public static KernelVersion parse(String text) {
        String[] parts = text.trim().split("[.-]", 3);
        try {
            return new KernelVersion(Integer.parseInt(parts[0]), parts.length > 1 ? Integer.parseInt(parts[1]) : 0);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a kernel version: " + text, e);
        }
    }

    public boolean isOlderThan(KernelVersion other) {
        return major != other.major ? major < other.major : minor < other.minor;
    }
}
