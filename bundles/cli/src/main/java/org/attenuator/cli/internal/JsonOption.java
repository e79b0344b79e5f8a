package org.attenuator.cli.internal;

/** {@code --json}: print the result as one JSON document for scripts (shapes in docs/json.md). */
final class JsonOption {

    static final String NAME = "--json";

    private JsonOption() {
    }
}
