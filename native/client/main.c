/*
 * attenuator-client - `attenuator run` without a JVM, for the launches a JVM run already compiled
 * (docs/launch.md, "The native client").
 *
 *   attenuator-client [--profile FILE] [--agent SOCKET | --kernel-only] [--] CMD [ARG...]
 *
 * bin/attenuator execs it with run's arguments when a launch may not need Java. It takes the
 * compiled filter from the program cache, $ATTENUATOR_HOME/programs/KEY, which a JVM `run` wrote
 * (ProgramCacheEntry), and:
 *  - agent mode (--agent SOCKET, or without --kernel-only the first agent that answers of
 *    $ATTENUATOR_HOME/run/agent.sock and, for root, the Debian package's, find_agent): forks CMD with the filter installed with
 *    NEW_LISTENER, takes the listener with pidfd_getfd, receives CMD's own execve (it must be the
 *    first notification), hands the listener to the agent as `run --agent` does (OCI seccomp agent
 *    protocol, the metadata the JVM cached with the program plus `executable=`), then lets the
 *    execve through and closes its copy;
 *  - kernel-only mode: forks CMD with the filter installed, no listener (only programs that notify
 *    nothing are cached for it).
 * CMD stays this process's child: stdio, process group and terminal are the caller's; HUP INT
 * QUIT USR1 USR2 TERM WINCH are forwarded to it; the exit status is CMD's, 128+N for signal N.
 *
 * Whatever it does not handle itself it leaves to the JVM, by exec'ing bin/attenuator run with the
 * same arguments and ATTENUATOR_CLIENT=off, before anything runs: any other option, no cache
 * entry, an entry or a directory another user could have written, no agent, a CMD the JVM would
 * refuse (not found, not executable). So no option is ever dropped, and every error line is the
 * JVM's. ATTENUATOR_CLIENT_DEBUG=1 says on stderr why it fell back.
 *
 * Between fork and exec the child makes only syscalls, as attenuator-exec's child does
 * (attn_child.h): signals to default, every fd but 0-2 closed, capabilities to Docker's default
 * set as far as this process has them, NO_NEW_PRIVS, the filter, execve. Nothing but execve runs
 * under the filter before CMD.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <pwd.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <linux/capability.h>

#include "attn_child.h"
#include "attn_seccomp.h"
#include "attn_sha256.h"
#include "attn_syscall_names.h" /* generated (Makefile): the JVM's names for this machine */

#ifndef SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV
#define SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV (1UL << 5) /* Linux 5.19 */
#endif
#ifndef P_PIDFD
#define P_PIDFD 3
#endif

enum { EXIT_SETUP = 125, EXIT_CANNOT_EXEC = 126, EXIT_NOT_FOUND = 127 };
#define MAX_ENTRY (2u << 20)   /* header + agent metadata + program */
#define MAX_PROFILE (4u << 20) /* what the JVM reads of a profile file */
#define SETUP_TIMEOUT_MS 10000
#define KILL_RECORD_WAIT_MS 500 /* the kernel queues a kill's audit record: it may come after the reap */
/* attenuator.service of the Debian package: the socket of the machine's agent, for root */
#define PACKAGED_AGENT_DIR "/run/attenuator-agent"
#define PACKAGED_AGENT_USER "attenuator"
#if defined(__x86_64__)
#define ARCH_NAME "x86_64"
#elif defined(__aarch64__)
#define ARCH_NAME "aarch64"
#endif

static char **saved_argv; /* run's arguments, for the JVM */
static int saved_argc;
static char dist[PATH_MAX];

/* ------------------------------------------------------------------------------------------ */
/* Leaving it to the JVM.                                                                       */

static void jvm(const char *why, ...) __attribute__((format(printf, 1, 2), noreturn));
static void jvm(const char *why, ...)
{
    const char *debug = getenv("ATTENUATOR_CLIENT_DEBUG");
    if (debug != NULL && strcmp(debug, "1") == 0) {
        va_list ap;
        va_start(ap, why);
        fputs("attenuator-client: to the JVM: ", stderr);
        vfprintf(stderr, why, ap);
        fputc('\n', stderr);
        va_end(ap);
    }
    char script[PATH_MAX + 32];
    snprintf(script, sizeof(script), "%s/bin/attenuator", dist);
    char **args = calloc((size_t)saved_argc + 3, sizeof(char *));
    if (args == NULL) {
        fputs("attenuator: out of memory\n", stderr);
        exit(EXIT_SETUP);
    }
    args[0] = script;
    args[1] = "run";
    memcpy(args + 2, saved_argv, sizeof(char *) * (size_t)saved_argc);
    setenv("ATTENUATOR_CLIENT", "off", 1);
    sigset_t chld; /* run's own signals stay blocked: bin/attenuator-signals blocks them again */
    sigemptyset(&chld);
    sigaddset(&chld, SIGCHLD);
    sigprocmask(SIG_UNBLOCK, &chld, NULL);
    execv(script, args);
    fprintf(stderr, "attenuator: cannot run %s: %s\n", script, strerror(errno));
    exit(EXIT_SETUP);
}

/* The distribution: this executable is DIST/bin/attenuator-client. */
static void find_distribution(void)
{
    ssize_t n = readlink("/proc/self/exe", dist, sizeof(dist) - 1);
    if (n <= 0) {
        fputs("attenuator: cannot read /proc/self/exe\n", stderr);
        exit(EXIT_SETUP);
    }
    dist[n] = '\0';
    for (int i = 0; i < 2; i++) {
        char *slash = strrchr(dist, '/');
        if (slash == NULL || slash == dist) {
            fputs("attenuator: attenuator-client is not in a distribution's bin/\n", stderr);
            exit(EXIT_SETUP);
        }
        *slash = '\0';
    }
}

/* ------------------------------------------------------------------------------------------ */
/* What to run.                                                                                  */

struct run {
    const char *profile;   /* --profile FILE, NULL for the built-in default */
    const char *agent;     /* the agent socket, NULL for kernel-only */
    int kernel_only;
    char **command;        /* CMD ARG... */
    char path[PATH_MAX];   /* CMD resolved as execvp would, absolute */
    char cwd[PATH_MAX];
};

static void parse(int argc, char **argv, struct run *r)
{
    int i = 0;
    for (; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--") == 0) {
            i++;
            break;
        }
        if (a[0] != '-' || a[1] == '\0')
            break;
        if (strcmp(a, "--kernel-only") == 0 && !r->kernel_only) {
            r->kernel_only = 1;
        } else if (strcmp(a, "--profile") == 0 && r->profile == NULL && i + 1 < argc) {
            r->profile = argv[++i];
        } else if (strcmp(a, "--agent") == 0 && r->agent == NULL && i + 1 < argc) {
            r->agent = argv[++i];
        } else {
            jvm("option %s", a);
        }
    }
    if (i >= argc || argv[i][0] == '\0')
        jvm("no command");
    if (r->kernel_only && r->agent != NULL)
        jvm("--kernel-only with --agent");
    if (r->profile != NULL && (strncmp(r->profile, "builtin:", 8) == 0 || strncmp(r->profile, "learned:", 8) == 0))
        jvm("profile %s", r->profile);
    r->command = argv + i;
}

/* An executable regular file the kernel can run (ELF or #!), else 0: the JVM says why not. */
static int runnable(const char *path)
{
    struct stat st;
    if (stat(path, &st) != 0 || !S_ISREG(st.st_mode) || access(path, X_OK) != 0)
        return 0;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    char magic[4] = { 0 };
    ssize_t n = fd >= 0 ? read(fd, magic, sizeof(magic)) : -1;
    if (fd >= 0)
        close(fd);
    return (n == 4 && memcmp(magic, "\177ELF", 4) == 0) || (n >= 2 && memcmp(magic, "#!", 2) == 0);
}

/* CMD as execvp finds it (PATH of this environment), made absolute against the cwd. */
static void resolve(struct run *r)
{
    if (getcwd(r->cwd, sizeof(r->cwd)) == NULL)
        jvm("getcwd: %s", strerror(errno));
    const char *cmd = r->command[0];
    char found[PATH_MAX];
    if (strchr(cmd, '/') != NULL) {
        if (!runnable(cmd))
            jvm("%s is not runnable", cmd);
        snprintf(found, sizeof(found), "%s", cmd);
    } else {
        const char *path = getenv("PATH");
        if (path == NULL)
            jvm("no PATH");
        found[0] = '\0';
        for (const char *p = path; found[0] == '\0';) {
            size_t len = strcspn(p, ":");
            int n = snprintf(found, sizeof(found), "%.*s%s%s", (int)len, len ? p : ".", "/", cmd);
            if (n >= (int)sizeof(found) || !runnable(found))
                found[0] = '\0';
            if (p[len] == '\0')
                break;
            p += len + 1;
        }
        if (found[0] == '\0')
            jvm("%s not found on PATH", cmd);
    }
    int n = found[0] == '/' ? snprintf(r->path, sizeof(r->path), "%s", found)
                            : snprintf(r->path, sizeof(r->path), "%s/%s", r->cwd, found);
    if (n >= (int)sizeof(r->path))
        jvm("path too long");
}

/* ------------------------------------------------------------------------------------------ */
/* The program cache.                                                                           */

/* Attenuator's home as AttenuatorPaths.home(): $ATTENUATOR_HOME, /var/lib/attenuator as root,
 * else ~/.local/state/attenuator. */
static void home(char *out, size_t size)
{
    const char *env = getenv("ATTENUATOR_HOME");
    const char *user = getenv("HOME");
    int n;
    if (env != NULL && env[0] != '\0')
        n = snprintf(out, size, "%s", env);
    else if (geteuid() == 0)
        n = snprintf(out, size, "/var/lib/attenuator");
    else if (user != NULL && user[0] == '/')
        n = snprintf(out, size, "%s/.local/state/attenuator", user);
    else
        jvm("no home");
    if (n >= (int)size || out[0] != '/')
        jvm("home is not an absolute path");
}

/*
 * Opens the directory PATH, checking it and every directory above it as StrictDirectory does:
 * owned by this uid or root, not writable by group or others (a root-owned sticky directory, as
 * /tmp, may be on the way), and no symbolic link anywhere (stricter: the JVM takes over then).
 * PATH itself may also be owned by last_owner (the packaged agent's user). Returns the fd, or -1
 * with why[] filled.
 */
static int trusted_directory(const char *path, uid_t last_owner, char *why, size_t size)
{
    int fd = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
    char walked[PATH_MAX] = "";
    const char *p = path;
    for (;;) {
        struct stat st;
        if (fd < 0 || fstat(fd, &st) != 0) {
            snprintf(why, size, "%s: %s", walked[0] ? walked : "/", strerror(errno));
            break;
        }
        while (*p == '/')
            p++;
        int last = *p == '\0';
        if (st.st_uid != geteuid() && st.st_uid != 0 && !(last && st.st_uid == last_owner)) {
            snprintf(why, size, "%s: owned by uid %u", walked[0] ? walked : "/", st.st_uid);
            break;
        }
        if ((st.st_mode & 022) != 0 && !(st.st_uid == 0 && (st.st_mode & S_ISVTX) && !last)) {
            snprintf(why, size, "%s: writable by group or others", walked[0] ? walked : "/");
            break;
        }
        if (last)
            return fd;
        char name[NAME_MAX + 1];
        size_t len = strcspn(p, "/");
        if (len > NAME_MAX) {
            snprintf(why, size, "%s: name too long", path);
            break;
        }
        memcpy(name, p, len);
        name[len] = '\0';
        p += len;
        size_t used = strlen(walked);
        snprintf(walked + used, sizeof(walked) - used, "/%s", name);
        int next = openat(fd, name, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        close(fd);
        fd = next;
    }
    if (fd >= 0)
        close(fd);
    return -1;
}

/* sha256 of the file, as hex; 0 on success. */
static int digest_file(const char *path, char hex[65])
{
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size > (off_t)MAX_PROFILE) {
        if (fd >= 0)
            close(fd);
        return -1;
    }
    struct attn_sha256 s;
    attn_sha256_init(&s);
    char buf[65536];
    ssize_t n;
    while ((n = read(fd, buf, sizeof(buf))) > 0)
        attn_sha256_update(&s, buf, (size_t)n);
    close(fd);
    if (n < 0)
        return -1;
    attn_sha256_hex(&s, hex);
    return 0;
}

/* One cache entry: "attenuator-program 1 MODE NINSNS METALEN\n", metadata, program. */
struct entry {
    char *bytes;
    const char *metadata; /* agent mode: every metadata line but executable= */
    size_t metadata_len;
    const struct sock_filter *program;
    size_t ninsns;
};

/* The distribution's build (lib/build-id, one line): a program is only as current as the compiler
 * that wrote it, so the entry's name carries it. */
static void build_id(char *out, size_t size)
{
    char path[PATH_MAX + 32];
    snprintf(path, sizeof(path), "%s/lib/build-id", dist);
    int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    ssize_t n = fd < 0 ? -1 : read(fd, out, size - 1);
    if (fd >= 0)
        close(fd);
    if (n <= 0)
        jvm("no build id in %s", path);
    out[n] = '\0';
    out[strcspn(out, "\n")] = '\0';
    if (out[0] == '\0')
        jvm("no build id in %s", path);
}

/* The file name of a program: ProgramCacheKey on the Java side hashes the same text. */
static void entry_name(const char *mode, const char *profile_digest, char hex[65])
{
    char key[512], build[128];
    struct utsname kernel;
    build_id(build, sizeof(build));
    if (uname(&kernel) != 0)
        jvm("uname: %s", strerror(errno));
    int n = snprintf(key, sizeof(key), "attenuator-program 1\nmode=%s\narch=%s\ncaps=%llx\nprofile=%s\nbuild=%s\nkernel=%s\n",
                     mode, ARCH_NAME, (unsigned long long)ATTN_DOCKER_DEFAULT_CAPS, profile_digest, build, kernel.release);
    struct attn_sha256 s;
    attn_sha256_init(&s);
    attn_sha256_update(&s, key, (size_t)n);
    attn_sha256_hex(&s, hex);
}

static void load_entry(const struct run *r, const char *mode, struct entry *e)
{
    char profile_file[PATH_MAX + 64], digest[65], name[65], dir[PATH_MAX], why[PATH_MAX + 64];
    if (r->profile != NULL)
        snprintf(profile_file, sizeof(profile_file), "%s", r->profile);
    else
        snprintf(profile_file, sizeof(profile_file), "%s/lib/profiles/docker-default.json", dist);
    if (digest_file(profile_file, digest) != 0)
        jvm("profile %s: not a readable regular file", profile_file);
    entry_name(mode, digest, name);
    char base[PATH_MAX];
    home(base, sizeof(base));
    if (snprintf(dir, sizeof(dir), "%s/programs", base) >= (int)sizeof(dir))
        jvm("home too long");
    int dfd = trusted_directory(dir, geteuid(), why, sizeof(why));
    if (dfd < 0)
        jvm("program cache: refusing %s", why);
    int fd = openat(dfd, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
    close(dfd);
    struct stat st;
    if (fd < 0)
        jvm("no cached program %s/%s: %s", dir, name, strerror(errno));
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_uid != geteuid() || (st.st_mode & 077) != 0
        || st.st_size <= 0 || st.st_size > (off_t)MAX_ENTRY)
        jvm("refusing %s/%s: not a regular file of uid %u with mode 0600", dir, name, geteuid());
    e->bytes = malloc((size_t)st.st_size + 1);
    if (e->bytes == NULL || read(fd, e->bytes, (size_t)st.st_size) != st.st_size)
        jvm("reading %s/%s failed", dir, name);
    close(fd);
    e->bytes[st.st_size] = '\0';
    char *nl = memchr(e->bytes, '\n', (size_t)st.st_size);
    char emode[16];
    unsigned long ninsns, metalen;
    int used = 0;
    if (nl == NULL || sscanf(e->bytes, "attenuator-program 1 %15s %lu %lu%n", emode, &ninsns, &metalen, &used) != 3
        || e->bytes + used++ != nl || strcmp(emode, mode) != 0 || ninsns == 0 || ninsns > ATTN_MAX_INSNS
        || (size_t)used + metalen + ninsns * sizeof(struct sock_filter) != (size_t)st.st_size
        || (strcmp(mode, "agent") == 0) != (metalen > 0))
        jvm("refusing %s/%s: not a %s program entry", dir, name, mode);
    e->metadata = e->bytes + used;
    e->metadata_len = metalen;
    e->program = malloc(ninsns * sizeof(struct sock_filter)); /* aligned copy */
    if (e->program == NULL)
        jvm("out of memory");
    memcpy((void *)e->program, e->bytes + used + metalen, ninsns * sizeof(struct sock_filter));
    e->ninsns = ninsns;
}

/* ------------------------------------------------------------------------------------------ */
/* The agent.                                                                                   */

/* Connects to the agent; -1 when nobody of this uid, root or peer_owner answers. */
static int connect_agent(const char *socket_path, uid_t peer_owner)
{
    struct sockaddr_un addr = { .sun_family = AF_UNIX };
    if (strlen(socket_path) >= sizeof(addr.sun_path)) {
        errno = ENAMETOOLONG; /* the JVM says so in its line */
        return -1;
    }
    strcpy(addr.sun_path, socket_path);
    int s = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    struct ucred cred;
    socklen_t len = sizeof(cred);
    if (s < 0 || connect(s, (struct sockaddr *)&addr, sizeof(addr)) != 0
        || getsockopt(s, SOL_SOCKET, SO_PEERCRED, &cred, &len) != 0) {
        int e = errno;
        if (s >= 0)
            close(s);
        errno = e;
        return -1;
    }
    if (cred.uid != geteuid() && cred.uid != 0 && cred.uid != peer_owner) {
        close(s);
        errno = EPERM; /* an agent of another user */
        return -1;
    }
    return s;
}

/*
 * The agent listening on DIR/agent.sock, or -1 with why[] filled. DIR must pass
 * trusted_directory (owned by this uid, root or dir_owner); the socket must be a socket of the
 * directory's owner and the process answering must be of this uid, root or that owner.
 */
static int agent_in(const char *dir, uid_t dir_owner, char *sock, size_t sock_size, char *why, size_t size)
{
    if (snprintf(sock, sock_size, "%s/agent.sock", dir) >= (int)sock_size) {
        snprintf(why, size, "%s: path too long", dir);
        return -1;
    }
    int dfd = trusted_directory(dir, dir_owner, why, size);
    if (dfd < 0)
        return -1;
    struct stat d, st;
    int found = fstat(dfd, &d) == 0 && fstatat(dfd, "agent.sock", &st, AT_SYMLINK_NOFOLLOW) == 0;
    close(dfd);
    if (!found) {
        snprintf(why, size, "%s: %s", sock, strerror(errno));
        return -1;
    }
    if (!S_ISSOCK(st.st_mode) || st.st_uid != d.st_uid) {
        snprintf(why, size, "%s: not a socket of uid %u", sock, d.st_uid);
        return -1;
    }
    int s = connect_agent(sock, d.st_uid);
    if (s < 0)
        snprintf(why, size, "%s: no agent of uid %u or root answers (%s)", sock, d.st_uid, strerror(errno));
    return s;
}

/* The user the Debian package runs its agent as (attenuator.service), -1 when there is none. */
static uid_t packaged_agent_user(void)
{
    struct passwd *pw = getpwnam(PACKAGED_AGENT_USER);
    return pw != NULL ? pw->pw_uid : (uid_t)-1;
}

/*
 * The agent of this run: --agent SOCKET; else the first that answers of the home's
 * run/agent.sock and, for root only, the packaged agent's PACKAGED_AGENT_DIR/agent.sock.
 */
static int find_agent(struct run *r)
{
    if (r->agent != NULL) {
        int s = connect_agent(r->agent, geteuid());
        if (s < 0)
            jvm("agent %s not reachable: %s", r->agent, strerror(errno));
        return s;
    }
    static char sock[PATH_MAX];
    char dir[PATH_MAX], why[PATH_MAX + 64], packaged[PATH_MAX + 64] = "not root";
    home(dir, sizeof(dir));
    size_t used = strlen(dir);
    if (snprintf(dir + used, sizeof(dir) - used, "/run") >= (int)(sizeof(dir) - used))
        jvm("home too long");
    int s = agent_in(dir, geteuid(), sock, sizeof(sock), why, sizeof(why));
    if (s < 0 && geteuid() == 0)
        s = agent_in(PACKAGED_AGENT_DIR, packaged_agent_user(), sock, sizeof(sock), packaged, sizeof(packaged));
    if (s < 0)
        jvm("no agent: %s; packaged agent: %s", why, packaged);
    r->agent = sock;
    return s;
}

static void json_string(FILE *out, const char *s, size_t len)
{
    fputc('"', out);
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '"' || c == '\\')
            fprintf(out, "\\%c", c);
        else if (c == '\n')
            fputs("\\n", out);
        else if (c < 0x20)
            fprintf(out, "\\u%04x", c);
        else
            fputc(c, out);
    }
    fputc('"', out);
}

/* The message `run --agent` sends (AgentHandover): one JSON ContainerProcessState. */
static char *agent_message(const struct run *r, const struct entry *e, pid_t pid, size_t *len)
{
    char *msg = NULL;
    FILE *out = open_memstream(&msg, len);
    if (out == NULL)
        return NULL;
    fprintf(out, "{\"ociVersion\":\"1.0.2\",\"fds\":[\"seccompFd\"],\"pid\":%d,\"metadata\":", (int)pid);
    /* the metadata as the JVM wrote it, then the executable */
    size_t metadata_len = e->metadata_len;
    char *meta = malloc(metadata_len + strlen(r->path) + 16);
    if (meta == NULL) {
        fclose(out);
        free(msg);
        return NULL;
    }
    int n = sprintf(meta, "%.*s\nexecutable=%s", (int)metadata_len, e->metadata, r->path);
    json_string(out, meta, (size_t)n);
    free(meta);
    fprintf(out, ",\"state\":{\"ociVersion\":\"1.0.2\",\"id\":\"attenuator-launch-%d\",\"status\":\"running\","
                 "\"pid\":%d,\"bundle\":", (int)pid, (int)pid);
    json_string(out, r->cwd, strlen(r->cwd));
    fputs(",\"annotations\":{\"org.attenuator.executable\":", out);
    json_string(out, r->path, strlen(r->path));
    fputs("}}}", out);
    if (fclose(out) != 0) {
        free(msg);
        return NULL;
    }
    return msg;
}

/* ------------------------------------------------------------------------------------------ */
/* The child: only syscalls from fork to execve.                                               */

static void child_fail(int status, const char *what, int e) __attribute__((noreturn));
static void child_fail(int status, const char *what, int e)
{
    char line[PATH_MAX + 128];
    int n = snprintf(line, sizeof(line), "attenuator-client: %s: %s\n", what, strerror(e));
    if (n > 0 && write(2, line, (size_t)(n < (int)sizeof(line) ? n : (int)sizeof(line) - 1)) < 0) {
        /* best effort: the filter may deny the write */
    }
    _exit(status);
}

static int parent_can_ptrace;

static void child(const struct run *r, const struct entry *e, int channel) __attribute__((noreturn));
static void child(const struct run *r, const struct entry *e, int channel)
{
    sigset_t none;
    sigemptyset(&none);
    attn_reset_signals(&none);
    /* every fd but 0-2 and the channel: the target gets what the JVM path gives it */
    if ((channel > 3 && syscall(SYS_close_range, 3, channel - 1, 0) != 0)
        || syscall(SYS_close_range, channel + 1, ~0U, 0) != 0)
        child_fail(EXIT_SETUP, "close_range", errno);
    char what[64];
    if (attn_keep_capabilities(ATTN_DOCKER_DEFAULT_CAPS, what, sizeof(what)) != 0)
        child_fail(EXIT_SETUP, what, errno);
    /* a capability change makes a process non-dumpable; the parent takes the listener by pidfd_getfd */
    if (!r->kernel_only && !parent_can_ptrace && prctl(PR_SET_DUMPABLE, 1, 0, 0, 0) != 0)
        child_fail(EXIT_SETUP, "prctl(PR_SET_DUMPABLE, 1)", errno);
    if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0)
        child_fail(EXIT_SETUP, "prctl(PR_SET_NO_NEW_PRIVS)", errno);
    if (r->kernel_only) {
        if (attn_install_filter(e->program, e->ninsns, 0) != 0)
            child_fail(EXIT_SETUP, "seccomp(SECCOMP_SET_MODE_FILTER)", errno);
    } else {
        int n = 0; /* the number NEW_LISTENER returns: nothing opens an fd in between */
        while (fcntl(n, F_GETFD) >= 0)
            n++;
        if (write(channel, &n, sizeof(n)) != (ssize_t)sizeof(n))
            child_fail(EXIT_SETUP, "announcing the listener", errno);
        unsigned int flags = SECCOMP_FILTER_FLAG_NEW_LISTENER;
        int fd = attn_install_filter(e->program, e->ninsns, flags | SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV);
        if (fd < 0 && errno == EINVAL) /* kernel < 5.19 */
            fd = attn_install_filter(e->program, e->ninsns, flags);
        if (fd < 0)
            child_fail(EXIT_SETUP, "seccomp(SECCOMP_SET_MODE_FILTER, NEW_LISTENER)", errno);
        if (fd != n)
            child_fail(EXIT_SETUP, "the listener is not the announced fd", EBADF);
    }
    /* From here on only execve runs under the filter. */
    execve(r->path, r->command, environ);
    int err = errno;
    child_fail(err == ENOENT ? EXIT_NOT_FOUND : EXIT_CANNOT_EXEC, r->command[0], err);
}

/* ------------------------------------------------------------------------------------------ */
/* The parent.                                                                                  */

static void fail(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
static void fail(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("attenuator run: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    exit(EXIT_SETUP);
}

/* Waits up to timeout_ms for fd to be readable; 0 when it is, -1 when the child ended first. */
static int await_readable(int fd, int pidfd, int timeout_ms)
{
    struct pollfd p[2] = { { fd, POLLIN, 0 }, { pidfd, POLLIN, 0 } };
    for (;;) {
        int n = poll(p, 2, timeout_ms);
        if (n < 0 && errno == EINTR)
            continue;
        if (n == 0)
            fail("timed out waiting for the target's exec");
        if (n < 0)
            fail("poll: %s", strerror(errno));
        if (p[0].revents & POLLIN)
            return 0;
        return -1;
    }
}

/* Takes the child's listener: announced as fd N on the channel, taken with pidfd_getfd once the
 * filter is installed (EBADF until then). -1 when the child ended before. */
static int take_listener(int channel, int pidfd)
{
    int n;
    if (await_readable(channel, pidfd, SETUP_TIMEOUT_MS) != 0 || read(channel, &n, sizeof(n)) != (ssize_t)sizeof(n))
        return -1;
    struct timespec pause = { 0, 20000 };
    for (long waited = 0; waited < SETUP_TIMEOUT_MS * 50L; waited++) {
        int fd = (int)syscall(SYS_pidfd_getfd, pidfd, n, 0);
        if (fd >= 0) {
            char link[64], proc[32];
            snprintf(proc, sizeof(proc), "/proc/self/fd/%d", fd);
            ssize_t len = readlink(proc, link, sizeof(link) - 1);
            link[len > 0 ? len : 0] = '\0';
            if (strcmp(link, "anon_inode:seccomp notify") != 0)
                fail("fd %d of the child is %s, not its seccomp listener", n, link);
            return fd;
        }
        if (errno != EBADF)
            fail("pidfd_getfd: %s", strerror(errno));
        struct pollfd p = { pidfd, POLLIN, 0 };
        if (poll(&p, 1, 0) > 0)
            return -1;
        nanosleep(&pause, NULL);
    }
    fail("timed out waiting for the target's filter");
}

/*
 * Agent mode, once the child's filter is installed: its execve must be the listener's first
 * notification; the listener goes to the agent while that execve waits, then it is let through.
 * If the agent cannot take it the child is killed before it ran, and the JVM takes over.
 */
static void hand_over(const struct run *r, const struct entry *e, pid_t pid, int pidfd, int channel, int agent)
{
    int listener = take_listener(channel, pidfd);
    if (listener < 0 || await_readable(listener, pidfd, SETUP_TIMEOUT_MS) != 0)
        return; /* the child ended: its status says why */
    struct seccomp_notif notif;
    memset(&notif, 0, sizeof(notif));
    if (ioctl(listener, SECCOMP_IOCTL_NOTIF_RECV, &notif) != 0)
        fail("receiving the target's exec: %s", strerror(errno));
    struct seccomp_notif_resp resp = { .id = notif.id };
    int exec = notif.data.nr == __NR_execve || notif.data.nr == __NR_execveat;
    if ((pid_t)notif.pid != pid || notif.data.arch != ATTN_AUDIT_ARCH || !exec) {
        resp.error = -EPERM;
        ioctl(listener, SECCOMP_IOCTL_NOTIF_SEND, &resp);
        syscall(SYS_pidfd_send_signal, pidfd, SIGKILL, NULL, 0);
        fail("first notification is #%d from pid %u, not the target's exec", notif.data.nr, notif.pid);
    }
    size_t len;
    char *msg = agent_message(r, e, pid, &len);
    if (msg == NULL || attn_send_with_fds(agent, msg, len, &listener, 1) != 0) {
        syscall(SYS_pidfd_send_signal, pidfd, SIGKILL, NULL, 0);
        siginfo_t si;
        waitid((idtype_t)P_PIDFD, (id_t)pidfd, &si, WEXITED);
        jvm("handing the tree to the agent %s: %s", r->agent, strerror(errno));
    }
    free(msg);
    close(agent);
    resp.flags = SECCOMP_USER_NOTIF_FLAG_CONTINUE;
    if (ioctl(listener, SECCOMP_IOCTL_NOTIF_SEND, &resp) != 0 && errno != ENOENT)
        fail("letting the target's exec through: %s", strerror(errno));
    close(listener); /* the agent holds it now */
}

/* ------------------------------------------------------------------------------------------ */
/* A kill rule's report, as the JVM's run words it (SigsysReport).                               */

/* "NAME on ARCH" for call nr of audit arch `arch`, names for this machine's own ABI only. */
static void describe_call(unsigned int arch, unsigned long nr, char *out, size_t size)
{
    size_t known = sizeof(attn_syscall_names) / sizeof(attn_syscall_names[0]);
    if (arch == ATTN_AUDIT_ARCH && nr < known && attn_syscall_names[nr] != NULL)
        snprintf(out, size, "%s on %s", attn_syscall_names[nr], ARCH_NAME);
    else if (arch == ATTN_AUDIT_ARCH && nr < 0x40000000UL)
        snprintf(out, size, "number %lu on %s", nr, ARCH_NAME);
    else
        snprintf(out, size, "number %lu on audit arch 0x%x", nr, arch);
}

/*
 * The call pid was killed for, from the kernel's audit record of the kill (type 1326: every
 * seccomp kill is logged, kernel.seccomp.actions_logged) in /dev/kmsg, which root may read
 * (kernel.dmesg_restrict). Records older than since_us (the log's clock, CLOCK_MONOTONIC, less a
 * second of slack) are of an earlier process with that pid. 0 when found.
 */
static int killed_for(pid_t pid, long long since_us, char *out, size_t size)
{
    int fd = open("/dev/kmsg", O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0)
        return -1;
    struct timespec start, now;
    clock_gettime(CLOCK_MONOTONIC, &start);
    char rec[8192]; /* each read is one record: "PRIO,SEQ,MICROSECONDS,FLAGS;MESSAGE" */
    for (;;) {
        ssize_t n = read(fd, rec, sizeof(rec) - 1);
        if (n < 0 && errno == EPIPE) /* records overwritten while we read: go on */
            continue;
        if (n < 0 && errno == EAGAIN) {
            clock_gettime(CLOCK_MONOTONIC, &now);
            long waited = (now.tv_sec - start.tv_sec) * 1000 + (now.tv_nsec - start.tv_nsec) / 1000000;
            struct pollfd p = { fd, POLLIN, 0 };
            if (waited >= KILL_RECORD_WAIT_MS || poll(&p, 1, (int)(KILL_RECORD_WAIT_MS - waited)) <= 0)
                break;
            continue;
        }
        if (n <= 0)
            break;
        rec[n] = '\0';
        long long at;
        int p;
        unsigned int arch;
        unsigned long nr;
        const char *type = strstr(rec, ";audit: type=1326 ");
        const char *who = type != NULL ? strstr(type, " pid=") : NULL;
        const char *call = who != NULL ? strstr(who, " sig=31 arch=") : NULL;
        if (call != NULL && sscanf(rec, "%*u,%*u,%lld", &at) == 1 && at >= since_us - 1000000
            && sscanf(who, " pid=%d ", &p) == 1 && p == pid && sscanf(call, " sig=31 arch=%x syscall=%lu", &arch, &nr) == 2) {
            describe_call(arch, nr, out, size);
            close(fd);
            return 0;
        }
    }
    close(fd);
    return -1;
}

/* Forwards run's signals to the child until it ends; returns its status as a shell would. */
static int wait_for(pid_t pid, int pidfd, int sigfd, const char *name, long long started_us)
{
    for (;;) {
        struct pollfd p[2] = { { sigfd, POLLIN, 0 }, { pidfd, POLLIN, 0 } };
        if (poll(p, 2, -1) < 0 && errno != EINTR)
            fail("poll: %s", strerror(errno));
        struct signalfd_siginfo ssi;
        while ((p[0].revents & POLLIN) && read(sigfd, &ssi, sizeof(ssi)) == (ssize_t)sizeof(ssi))
            syscall(SYS_pidfd_send_signal, pidfd, (int)ssi.ssi_signo, NULL, 0);
        if (p[1].revents & POLLIN) {
            siginfo_t si;
            memset(&si, 0, sizeof(si));
            if (waitid((idtype_t)P_PIDFD, (id_t)pidfd, &si, WEXITED) != 0)
                fail("waitid: %s", strerror(errno));
            if (si.si_code == CLD_EXITED)
                return si.si_status;
            char call[96];
            if (si.si_status == SIGSYS && killed_for(pid, started_us, call, sizeof(call)) == 0)
                fprintf(stderr, "attenuator: %s (pid %d) was killed by SIGSYS: system call %s (a kill rule of its "
                                "profile)\n", name, (int)pid, call);
            else if (si.si_status == SIGSYS)
                fprintf(stderr, "attenuator: %s (pid %d) was killed by SIGSYS (a kill rule of its profile; the kernel "
                                "log names the call: dmesg | grep type=1326)\n", name, (int)pid);
            return 128 + si.si_status;
        }
    }
}

int main(int argc, char **argv)
{
    saved_argc = argc - 1;
    saved_argv = argv + 1;
    find_distribution();
    const char *off = getenv("ATTENUATOR_CLIENT");
    if (off != NULL && strcmp(off, "off") == 0)
        jvm("ATTENUATOR_CLIENT=off");
    struct run r = { 0 };
    parse(argc - 1, argv + 1, &r);
    resolve(&r);
    struct entry e = { 0 };
    load_entry(&r, r.kernel_only ? "kernel" : "agent", &e);
    int agent = r.kernel_only ? -1 : find_agent(&r); /* connected only when there is something to send */

    uint64_t effective, permitted;
    if (attn_capabilities(&effective, &permitted) != 0)
        jvm("capget: %s", strerror(errno));
    parent_can_ptrace = (effective & (1ULL << CAP_SYS_PTRACE)) != 0;
    /* run's signals wait for the child from here on (those of a caller's early kill too) */
    sigset_t forwarded, all;
    sigemptyset(&forwarded);
    const int relayed[] = { SIGHUP, SIGINT, SIGQUIT, SIGUSR1, SIGUSR2, SIGTERM, SIGWINCH };
    for (size_t i = 0; i < sizeof(relayed) / sizeof(relayed[0]); i++)
        sigaddset(&forwarded, relayed[i]);
    all = forwarded;
    sigaddset(&all, SIGCHLD);
    sigprocmask(SIG_BLOCK, &all, NULL);
    int sigfd = signalfd(-1, &forwarded, SFD_CLOEXEC | SFD_NONBLOCK);
    int channel[2];
    if (sigfd < 0 || pipe2(channel, O_CLOEXEC) != 0)
        jvm("signalfd or pipe: %s", strerror(errno));

    struct timespec started;
    clock_gettime(CLOCK_MONOTONIC, &started);
    pid_t pid = fork();
    if (pid == 0) {
        close(channel[0]);
        child(&r, &e, channel[1]);
    }
    if (pid < 0)
        jvm("fork: %s", strerror(errno));
    close(channel[1]);
    /* our unreaped child: the pidfd cannot name a reused pid */
    int pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
    if (pidfd < 0) {
        kill(pid, SIGKILL);
        fail("pidfd_open: %s", strerror(errno));
    }
    if (!r.kernel_only)
        hand_over(&r, &e, pid, pidfd, channel[0], agent);
    close(channel[0]);
    return wait_for(pid, pidfd, sigfd, r.command[0], started.tv_sec * 1000000LL + started.tv_nsec / 1000);
}
