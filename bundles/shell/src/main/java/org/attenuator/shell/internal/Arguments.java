package org.attenuator.shell.internal;

/** Register values as typed on the console. */
final class Arguments {

    private Arguments() {
    }

    /** {@code a0,a1,..}: each decimal or 0x hex, read as unsigned 64-bit (so -1 and 0xffffffffffffffff agree). */
    static long[] registers(String commaSeparated) {
        String[] parts = commaSeparated.split(",");
        long[] values = new long[parts.length];
        for (int i = 0; i < parts.length; i++) {
            values[i] = register(parts[i].strip());
        }
        return values;
    }

    private static long register(String text) {
        try {
            if (text.startsWith("0x") || text.startsWith("0X")) {
                return Long.parseUnsignedLong(text.substring(2), 16);
            }
            return text.startsWith("-") ? Long.parseLong(text) : Long.parseUnsignedLong(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad register value " + text + ": decimal or 0x hex");
        }
    }
}
