package org.attenuator.linux;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A path Attenuator will not use because someone other than this uid or root could have planted
 * or changed it. The message is one line naming the path and the reason, e.g.
 * {@code refusing /x/learned: owned by uid 1000, not 0 or root}.
 *
 * @since 0.3.0
 */
public class RefusedPathException extends IOException {
    private static final long serialVersionUID = 1L;
    private final transient Path path;
    private final String reason;

    public RefusedPathException(Path path, String reason) {
        super("refusing " + path + ": " + reason);
        this.path = path;
        this.reason = reason;
    }

    public Path path() {
        return path;
    }

    /** Why, e.g. {@code is a symbolic link}. */
    public String reason() {
        return reason;
    }
}
