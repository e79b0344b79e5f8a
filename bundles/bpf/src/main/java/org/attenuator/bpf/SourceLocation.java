package org.attenuator.bpf;

/**
 * Where in a profile something is: the file (may be empty), a JSON path such as
 * {@code syscalls[3].args[0].index} (may be empty) and a 1-based line (0 when unknown).
 */
public record SourceLocation(String file, String path, int line) {

    public static final SourceLocation NOWHERE = new SourceLocation("", "", 0);

    public SourceLocation {
        file = file == null ? "" : file;
        path = path == null ? "" : path;
    }

    public static SourceLocation at(String path) {
        return new SourceLocation("", path, 0);
    }

    public SourceLocation in(String newFile, int newLine) {
        return new SourceLocation(newFile, path, newLine);
    }

    /** "FILE:LINE: PATH: " with the parts that are known, ready to prefix a message. */
    public String describe() {
        StringBuilder b = new StringBuilder();
        if (!file.isEmpty()) {
            b.append(file).append(line > 0 ? ":" + line : "").append(": ");
        }
        if (!path.isEmpty()) {
            b.append(path).append(": ");
        }
        return b.toString();
    }
}
