package org.attenuator.linux;

/**
 * What statx says about an open file: its type (the S_IFMT bits of {@code mode}) and its size in bytes.
 *
 * @since 0.3.0
 */
public record FileStatus(int mode, long size) {
    static final int S_IFMT = 0170000, S_IFSOCK = 0140000, S_IFREG = 0100000,
            S_IFBLK = 060000, S_IFDIR = 040000, S_IFCHR = 020000, S_IFIFO = 010000;

    public boolean isRegularFile() {
        return (mode & S_IFMT) == S_IFREG;
    }

    /** The type for an error line: "a regular file", "a directory", "a FIFO", "a character device", ... */
    public String typeName() {
        return switch (mode & S_IFMT) {
            case S_IFREG -> "a regular file";
            case S_IFDIR -> "a directory";
            case S_IFIFO -> "a FIFO";
            case S_IFCHR -> "a character device";
            case S_IFBLK -> "a block device";
            case S_IFSOCK -> "a socket";
            default -> "a file of unknown type";
        };
    }
}
