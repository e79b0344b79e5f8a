package org.attenuator.profile.internal;

import java.util.Comparator;
import java.util.Optional;
import java.util.Set;

/** The known field a misspelled one most likely meant, so the error line can say it. */
final class FieldNames {

    /** Two edits (a dropped and a swapped letter) still read as a typo; more is another word. */
    private static final int MAX_EDITS = 2;

    private FieldNames() {
    }

    static Optional<String> closest(String unknown, Set<String> known) {
        return known.stream().filter(k -> distance(unknown, k) <= MAX_EDITS)
                .min(Comparator.comparingInt((String k) -> distance(unknown, k)).thenComparing(Comparator.naturalOrder()));
    }

    /** Levenshtein distance, case-insensitive ("DefaultAction" is a typo of "defaultAction" too). */
    static int distance(String a, String b) {
        String x = a.toLowerCase(java.util.Locale.ROOT);
        String y = b.toLowerCase(java.util.Locale.ROOT);
        int[] previous = new int[y.length() + 1];
        int[] current = new int[y.length() + 1];
        for (int j = 0; j <= y.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= x.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= y.length(); j++) {
                int substitution = previous[j - 1] + (x.charAt(i - 1) == y.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[y.length()];
    }
}
