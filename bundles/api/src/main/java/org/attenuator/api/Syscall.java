package org.attenuator.api;

/**
 * A syscall as the filter saw it: its name, its number and the ABI it came through.
 *
 * @param name the syscall's name, for example {@code "openat"}, or {@code "#NR"} if unknown
 * @param number the number in {@code arch}'s table (for x32, without the 0x40000000 bit)
 * @param arch the ABI: {@code "x86_64"}, {@code "x32"}, {@code "i386"} or {@code "aarch64"}
 */
public record Syscall(String name, int number, String arch) {
    @Override
    public String toString() {
        return name + "/" + arch;
    }
}
