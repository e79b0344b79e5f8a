package org.attenuator.plugin.denylog.internal;

/** How one syscall argument is shown. The first group reads memory through the event's reader. */
enum ArgType {
    /** A NUL-terminated path. */
    PATH(true),
    /** A NUL-terminated string that is not a path (mount's source, memfd's name). */
    STRING(true),
    /** A struct sockaddr whose length is another argument. */
    SOCKADDR(true),
    /** A NULL-terminated array of string pointers (execve's argv). */
    ARGV(true),
    /** An fd, or {@code AT_FDCWD}. */
    DIRFD(false),
    FD(false),
    /** A signed 32-bit number. */
    INT(false),
    /** A signed 64-bit number. */
    LONG(false),
    /** An unsigned number in hex. */
    HEX(false),
    /** A pointer not followed (hex). */
    POINTER(false),
    /** A file mode in octal. */
    MODE(false),
    OPEN_FLAGS(false),
    AT_FLAGS(false),
    SOCK_DOMAIN(false),
    SOCK_TYPE(false),
    CLONE_FLAGS(false),
    NAMESPACE_FLAGS(false),
    MMAP_PROT(false),
    MMAP_FLAGS(false),
    PRCTL_OPTION(false),
    FCNTL_CMD(false),
    SIGNAL(false);

    final boolean readsMemory;

    ArgType(boolean readsMemory) {
        this.readsMemory = readsMemory;
    }
}
