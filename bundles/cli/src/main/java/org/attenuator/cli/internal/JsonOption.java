package org.attenuator.cli.internal;

/** {@code --json}: print the result as one JSON document for scripts (shapes in docs/json.md). */
final class JsonOption {

    static final String NAME = "--json";

    private JsonOption() {
    }

    /** The flag, its description saying what the document holds. */
    static Option of(String what) {
        return Option.flag(NAME, "Print " + what + " as one JSON object for scripts (shapes in docs/json.md).");
    }
}
