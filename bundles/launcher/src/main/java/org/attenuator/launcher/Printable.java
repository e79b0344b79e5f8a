package org.attenuator.launcher;

/**
 * Text as it may reach a terminal: every control character written out ({@code \x1b} for ESC), so
 * a file name, a system call name or an agent peer's metadata in an error or log line cannot move
 * the cursor, clear the screen or retitle the window of the terminal that shows it. Newlines and
 * tabs stay. The command line's stderr and the log's message both pass through it.
 *
 * @since 1.2.0
 */
public final class Printable {

    private Printable() {
    }

    public static String of(String text) {
        StringBuilder b = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (isControl(c)) {
                if (b == null) {
                    b = new StringBuilder(text.length() + 8).append(text, 0, i);
                }
                b.append(c <= 0xff ? String.format("\\x%02x", (int) c) : String.format("\\u%04x", (int) c));
            } else if (b != null) {
                b.append(c);
            }
        }
        return b == null ? text : b.toString();
    }

    /** C0 but newline and tab, DEL, C1 (0x9b is a CSI of its own), and the bidirectional overrides. */
    private static boolean isControl(char c) {
        return (c < 0x20 && c != '\n' && c != '\t') || (c >= 0x7f && c <= 0x9f)
                || (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069);
    }
}
