package org.attenuator.shell.internal;

import org.attenuator.api.Decision;
import org.attenuator.profile.AttenuatorSettings;

/** Answers typed as profiles write them ({@code allow}, {@code kill}, {@code errno:NAME}), parsed by the profile bundle. */
final class Answers {

    static final String SYNTAX = "allow, kill or errno:NAME";

    private Answers() {
    }

    static Decision parse(String text) {
        AttenuatorSettings.Decision written = AttenuatorSettings.Decision.parse(text)
                .orElseThrow(() -> new IllegalArgumentException("an answer is " + SYNTAX + ", not " + text));
        switch (written.kind()) {
            case ALLOW:
                return Decision.allow();
            case KILL:
                return Decision.kill();
            default:
                return Decision.deny(written.errno());
        }
    }
}
