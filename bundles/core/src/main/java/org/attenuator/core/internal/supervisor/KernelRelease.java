package org.attenuator.core.internal.supervisor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The running kernel's major.minor release ({@code /proc/sys/kernel/osrelease}), for features without a probe. */
record KernelRelease(int major, int minor) {

    private static final Pattern VERSION = Pattern.compile("^(\\d+)\\.(\\d+)");

    static KernelRelease current() {
        try {
            return parse(Files.readString(Path.of("/proc/sys/kernel/osrelease")));
        } catch (IOException e) {
            return parse(System.getProperty("os.version", ""));
        }
    }

    /** 0.0 when {@code release} does not start with major.minor. */
    static KernelRelease parse(String release) {
        Matcher m = VERSION.matcher(release.strip());
        return m.find() ? new KernelRelease(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2))) : new KernelRelease(0, 0);
    }

    boolean atLeast(int wantMajor, int wantMinor) {
        return major > wantMajor || major == wantMajor && minor >= wantMinor;
    }

    @Override
    public String toString() {
        return major + "." + minor;
    }
}
