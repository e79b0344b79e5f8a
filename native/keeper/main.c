/*
 * attenuator-keeper - holds a copy of every seccomp listener of the supervisor and, while no
 * supervisor is connected, answers their notifications from per-tree fallback tables, so a
 * supervisor crash never turns into ENOSYS for the workload (DESIGN.md, Fallback and restart).
 *
 *   attenuator-keeper --socket PATH [--uid UID]... [--default allow|errno:N|kill] [--exit-when-idle]
 *
 * PROTOCOL 2 (docs/keeper.md has the rationale). AF_UNIX SOCK_STREAM at PATH (0600; its
 * directory is created 0700 if missing). Peers: SO_PEERCRED uid 0, the keeper's uid, --uid ones;
 * others get "ERR refused" and are closed. One connection at a time; a second gets "ERR busy".
 * Lines of printable ASCII ending in '\n', at most 4096 bytes with the '\n'. An fd travels as
 * SCM_RIGHTS on the line's first byte: send each line with one sendmsg(). An fd is taken as
 * belonging to the last line that starts in the recvmsg() chunk carrying it (the kernel ends a
 * chunk after the message that holds fds). Every request gets exactly one reply line (HELLO:
 * several); on ERR any fd that came with the line is closed.
 *   HELLO 2            -> TREES <n>, n x "TREE <id> <pid> <spec> <meta>" (+ the listener),
 *                         END (kept trees are not handed back). Must come first. Ends a
 *                         takeover: the keeper stops answering and goes back to watching; the
 *                         shared table is dropped.
 *   SHM        + memfd -> OK | ERR <why>   (the in-flight table, below)
 *   ADD <id> <pid> <spec> <meta>  + listener -> OK | ERR <why>
 *                         id [A-Za-z0-9._-]{1,64}; pid decimal > 0; meta 1..1024 printable
 *                         bytes, '%' only as %XX (percent-encoded, opaque, handed back
 *                         verbatim); spec "default=<act>[,<nr>=<act>]..." (default= may be
 *                         left out: --default applies), act allow | errno:<1..4095> | kill,
 *                         nr decimal < 2^31, each nr once, at most 256. The ADD line must be
 *                         <= 4095 bytes so that its TREE echo fits in 4096.
 *   KEEP <id> <pid> <spec> <meta> + listener -> OK | ERR <why>
 *                         as ADD, but no supervisor will ever read this listener (a
 *                         kernel-only launch): the keeper answers it from the spec at once and
 *                         always, and never hands it back.
 *   DEL <id>           -> OK | ERR no such tree
 *   PING               -> PONG
 *   INTAKE <spec> <uids> + listening socket -> OK | ERR <why>
 *                         the agent's OCI socket: the keeper accepts its connections from now on,
 *                         takes a copy of every seccomp listener on a connection's first message
 *                         (recvmsg MSG_PEEK: the message stays queued) from a peer of uid 0 or
 *                         <uids> ("-" or N[,N]...), then passes the connection on: "CONN <ticket>"
 *                         (+ the connection), a line that answers no request. Its copies go
 *                         with "DONE <ticket>" or an ADD of the same listener (kcmp); if the
 *                         supervisor goes first, each becomes a kept tree "intake-<ticket>" under
 *                         <spec>, and the socket is closed (no one accepts: ECONNREFUSED).
 *   DONE <ticket>      -> OK   (the supervisor is done with that connection)
 * While a supervisor that said HELLO is connected, the keeper only watches: it polls the
 * listeners for HUP (all tasks of the filter gone: the tree is dropped) and never RECVs. When
 * that connection drops: takeover. In-flight notifications from the shared table are answered
 * first (ID_VALID, then by the entry's nr), then every new one is RECVed and answered:
 * allow -> FLAG_CONTINUE, errno:N -> error -N, kill -> kill(pid, SIGKILL) + SEND (fails).
 * Rules match only on the native arch; other arches get the default.
 * SHARED TABLE (memfd from the supervisor; the keeper maps it read-only, seals it against
 * shrinking, needs it to be sealed or MFD_ALLOW_SEALING): header {u32 magic 0x4154544b,
 * u32 version 2, u32 slots (1..65536), u32 ring (1..4096)}, then per slot {char tree_id[64]
 * (NUL-padded); u64 last_id; ring x {u64 id; u32 nr; u32 arch; u32 pid; u32 reserved}}. After
 * each RECV the supervisor writes an entry's nr/arch/pid, then its id (release), and last_id
 * (release); after SEND it zeroes the entry's id (release). At takeover the keeper answers
 * every entry whose id is still valid, then probes ids last_id+1 .. last_id+ring (received
 * but not recorded at the crash; answered with the tree's default action).
 */
#include "attn_seccomp.h"
#include "table.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/un.h>
#include <linux/kcmp.h>

#define MAX_TREES 4096
#define MAX_RULES 256
#define MAX_LINE 4096
#define MAX_ID 64
#define MAX_META 1024
#define MAX_UIDS 16
#define ACT_KILL (-1) /* actions: -1 kill, 0 allow, N > 0 errno N */
#define ACT_ALLOW 0
#define K_LISTEN 1U   /* epoll tags: gen << 32 | kind << 16 | tree index */
#define K_CONN 2U
#define K_TREE 3U
#define K_AGENT 4U    /* the agent's listening socket (INTAKE) */
#define K_INTAKE 5U   /* a connection accepted on it, waiting for its first bytes */
#define MAX_INTAKE 256          /* connections of the agent's socket held at once */
#define MAX_INTAKE_FDS 8        /* listeners kept per connection (the agent takes at most 8 fds) */
#define INTAKE_PER_UID 16       /* connections of one uid waiting for their first bytes */
#define INTAKE_WAIT_NS 5000000000ULL /* a connection that sends nothing for that long is closed */

struct rule { uint32_t nr; int32_t act; };
struct tree {
    int fd;                 /* the keeper's copy of the listener; -1: free */
    uint32_t gen;
    int kept;               /* KEEP: answered always, never handed back */
    int32_t def;
    uint32_t nrules;
    struct rule rules[MAX_RULES];
    char id[MAX_ID + 1];
    char args[MAX_LINE];    /* "<pid> <spec> <meta>" verbatim, for TREE */
    int from_intake;        /* kept for a connection of the agent's socket: dropped on an ADD of its listener */
};
/* A connection of the agent's socket (INTAKE), from accept to DONE. */
struct intake {
    int conn;               /* -1: free */
    uint32_t gen;
    uint64_t ticket;
    uint32_t epoch;         /* the supervisor connection it was accepted under */
    int uid, pid;
    int passed;             /* first bytes seen (and peeked): passed on, or to be */
    uint64_t deadline_ns;   /* while waiting for its first bytes */
    unsigned nfds;
    int fds[MAX_INTAKE_FDS]; /* copies of the seccomp listeners its message carries */
};

/* Everything the keeper knows: one instance, file-scope, so the code stays free of allocation. */
static struct keeper {
    struct tree trees[MAX_TREES];
    unsigned ntrees, nkept;
    uid_t uids[MAX_UIDS + 1];       /* peers allowed: root, the keeper's uid, --uid ones */
    unsigned nuids;
    int32_t opt_default;            /* --default; errno:1 (EPERM) unless given */
    int opt_exit_idle;              /* --exit-when-idle: no supervisor and no tree -> exit */
    const char *sock_path;
    int lsock, conn, conn_hello, ep_watch, ep_answer;
    int answering;                  /* no supervisor that said HELLO is connected */
    int conn_gone;                  /* the supervisor is gone: its queued requests are handled, no replies */
    char ibuf[MAX_LINE], obuf[MAX_LINE + 8];
    size_t ilen;
    int skipping;                   /* discarding an oversize line up to its newline */
    struct { size_t pos; int fd; } pend[4]; /* fds received, by the offset of their line in ibuf */
    unsigned npend;
    const unsigned char *tbl;       /* the shared in-flight table, read-only */
    size_t tbl_len;
    uint32_t tbl_slots, tbl_ring;
    union { struct seccomp_notif n; char b[512]; } req;
    union { struct seccomp_notif_resp r; char b[512]; } resp;
    struct seccomp_notif_sizes sizes;
    uint64_t drop_ns, n_answered, n_inflight, n_unrecorded, n_kills, n_sendfail; /* since the takeover */
    int first_pending;              /* the first answer after a takeover is still to be logged */
    struct intake intakes[MAX_INTAKE];
    unsigned nintake, nwaiting;     /* held; of them waiting for their first bytes */
    int agent_lsock;                /* the agent's listening socket (INTAKE), or -1 */
    int agent_paused;               /* out of fds: accepting pauses for a tick */
    uint32_t conn_epoch;            /* counts supervisor connections: intakes never go to a later one */
    uint64_t next_ticket;
    int agent_uids[MAX_UIDS + 1];   /* peers whose listeners are held: root and INTAKE's uids */
    unsigned nagent_uids;
    char intake_spec[MAX_LINE];     /* the fallback of a listener left with the keeper */
    struct tree scratch;            /* checks INTAKE's spec */
} keeper; /* zeroed (bss: the trees' tables would make 25 MB of the binary); the rest set in main */

static uint64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

/* One line per event on stderr (unbuffered: one write per line). */
__attribute__((format(printf, 1, 2))) static void klog(const char *fmt, ...)
{
    char line[600];
    struct timespec ts;
    struct tm tm;
    clock_gettime(CLOCK_REALTIME, &ts);
    localtime_r(&ts.tv_sec, &tm);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line, sizeof(line), fmt, ap);
    va_end(ap);
    fprintf(stderr, "%02d:%02d:%02d.%03ld attenuator-keeper: %s\n", tm.tm_hour, tm.tm_min, tm.tm_sec,
            ts.tv_nsec / 1000000, line);
}

__attribute__((noreturn)) static void fatal(const char *what)
{
    klog("fatal: %s: %s", what, strerror(errno));
    exit(1);
}

static void on_alarm(int sig) { (void)sig; } /* only interrupts a RECV that lost a race */

static void set_timer(int on) /* 100 ms ticks while answering, so RECV cannot block for long */
{
    struct itimerval it = { { 0, on ? 100000 : 0 }, { 0, on ? 100000 : 0 } };
    setitimer(ITIMER_REAL, &it, NULL);
}

/* The fd in both epoll sets: the watching one with watch_events, the answering one with those
 * and answer_events. */
static void ep_both(int op, int fd, uint64_t tag, uint32_t watch_events, uint32_t answer_events)
{
    struct epoll_event ev = { .events = watch_events, .data.u64 = tag };
    if (epoll_ctl(keeper.ep_watch, op, fd, &ev) != 0)
        fatal("epoll_ctl");
    ev.events |= answer_events;
    if (epoll_ctl(keeper.ep_answer, op, fd, &ev) != 0)
        fatal("epoll_ctl");
}

/* A tree's listener is in the answering set only while the keeper answers it (a takeover, or a
 * kept tree): every epoll on a listener's wait queue is called back at each of its notifications
 * and RECVs, a cost on every round trip of the supervisor's, which the watching set's entry
 * (hangups only) already pays once. op: EPOLL_CTL_ADD or EPOLL_CTL_DEL. */
static void ep_answer_tree(int op, struct tree *t)
{
    struct epoll_event ev = { .events = EPOLLIN, .data.u64 = (uint64_t)t->gen << 32 | K_TREE << 16 | (uint64_t)(t - keeper.trees) };
    if (epoll_ctl(keeper.ep_answer, op, t->fd, &ev) != 0)
        fatal("epoll_ctl");
}

/* Every tree the keeper does not keep enters (takeover) or leaves (HELLO) the answering set. */
static void ep_answer_handed(int op)
{
    for (unsigned i = 0; i < MAX_TREES; i++)
        if (keeper.trees[i].fd >= 0 && !keeper.trees[i].kept)
            ep_answer_tree(op, &keeper.trees[i]);
}

static struct tree *find_tree(const char *id, size_t len)
{
    for (unsigned i = 0; i < MAX_TREES; i++)
        if (keeper.trees[i].fd >= 0 && strlen(keeper.trees[i].id) == len && memcmp(keeper.trees[i].id, id, len) == 0)
            return &keeper.trees[i];
    return NULL;
}

/* --exit-when-idle: a keeper that holds no tree and has no supervisor has nothing to do; the
 * supervisor starts a new one for its next tree (so short-lived CLI runs leave no daemon). */
static void exit_if_idle(void)
{
    if (keeper.opt_exit_idle && keeper.ntrees == 0 && keeper.nintake == 0 && keeper.conn < 0) {
        klog("no tree held and no supervisor connected: exiting (--exit-when-idle)");
        unlink(keeper.sock_path);
        exit(0);
    }
}

static void free_tree(struct tree *t, const char *why)
{
    klog("tree %s dropped (%s)", t->id, why);
    if (epoll_ctl(keeper.ep_watch, EPOLL_CTL_DEL, t->fd, NULL) != 0)
        fatal("epoll_ctl");
    if (keeper.answering || t->kept)
        ep_answer_tree(EPOLL_CTL_DEL, t);
    close(t->fd);
    t->fd = -1;
    t->gen++;
    keeper.ntrees--;
    keeper.nkept -= (unsigned)t->kept;
    t->kept = 0;
    t->from_intake = 0;
    set_timer(keeper.answering || keeper.nkept > 0);
    exit_if_idle();
}

/* Answers one notification from the tree's fallback table. No allocation, no blocking. */
/* The tree's action for a call; arch 0: a call whose syscall is unknown (see answer_inflight). */
static int32_t action_for(const struct tree *t, uint32_t nr, uint32_t arch)
{
    if (arch == ATTN_AUDIT_ARCH) {
        for (uint32_t i = 0; i < t->nrules; i++)
            if (t->rules[i].nr == nr)
                return t->rules[i].act;
        return t->def;
    }
    if (arch != 0 || t->def != ACT_ALLOW)
        return t->def;
    /* An unknown syscall under an allowing default: it may be one a rule denies (a profile's denial
     * routed through the supervisor), and a denied call must never be let through. */
    for (uint32_t i = 0; i < t->nrules; i++)
        if (t->rules[i].act != ACT_ALLOW)
            return EPERM;
    return ACT_ALLOW;
}

static void answer(struct tree *t, uint64_t id, uint32_t nr, uint32_t arch, uint32_t pid)
{
    int32_t act = action_for(t, nr, arch);
    memset(keeper.resp.b, 0, sizeof(keeper.resp.b));
    keeper.resp.r.id = id;
    if (act == ACT_ALLOW)
        keeper.resp.r.flags = SECCOMP_USER_NOTIF_FLAG_CONTINUE;
    else
        keeper.resp.r.error = act == ACT_KILL ? -EPERM : -act; /* EPERM if the kill did not land */
    if (act == ACT_KILL) {
        keeper.n_kills++;
        if (pid > 0 && pid <= INT32_MAX && kill((pid_t)pid, SIGKILL) == 0)
            klog("tree %s: killed pid %u (syscall %u)", t->id, pid, nr);
        else
            klog("tree %s: kill pid %u (syscall %u) failed: %s", t->id, pid, nr, pid ? strerror(errno) : "pid unknown");
    }
    if (ioctl(t->fd, SECCOMP_IOCTL_NOTIF_SEND, &keeper.resp.r) != 0)
        keeper.n_sendfail++; /* ENOENT: the task is gone or was interrupted; it asks again */
    keeper.n_answered++;
    if (keeper.first_pending) {
        keeper.first_pending = 0;
        klog("first answer after takeover: tree %s syscall %u, %.3f ms after the drop", t->id, nr,
             (double)(now_ns() - keeper.drop_ns) / 1e6);
    }
}

static void answer_next(struct tree *t)
{
    memset(keeper.req.b, 0, sizeof(keeper.req.b));
    if (ioctl(t->fd, SECCOMP_IOCTL_NOTIF_RECV, &keeper.req.n) != 0)
        return; /* EINTR (timer), ENOENT (task gone): poll again */
    answer(t, keeper.req.n.id, (uint32_t)keeper.req.n.data.nr, keeper.req.n.data.arch, keeper.req.n.pid);
}

/* Notifications the dead supervisor received but did not answer: the ring's entries, then ids
 * last_id+1 .. last_id+ring (received but not yet recorded when it died; nr unknown: the default,
 * or EPERM when a rule denies something the default would allow). */
static void answer_inflight(void)
{
    for (uint32_t s = 0; keeper.tbl && s < keeper.tbl_slots; s++) {
        size_t slot_size = TBL_SLOT_HEADER + (size_t)TBL_ENTRY * keeper.tbl_ring;
        const unsigned char *slot = keeper.tbl + TBL_HEADER + (size_t)s * slot_size;
        char name[TBL_ID_BYTES + 1];
        memcpy(name, slot, TBL_ID_BYTES);
        name[TBL_ID_BYTES] = '\0';
        if (name[0] == '\0')
            continue;
        struct tree *t = find_tree(name, strlen(name));
        /* what the scan saw, logged once the slot's answers went out (the log is not on the answer path) */
        char seen[400];
        size_t sl = 0;
        unsigned nonzero = 0, valid = 0;
        seen[0] = '\0';
        for (uint32_t r = 0; t && r < keeper.tbl_ring; r++) {
            struct tbl_ent *e = (struct tbl_ent *)(uintptr_t)(slot + TBL_SLOT_HEADER + (size_t)TBL_ENTRY * r);
            uint64_t id = __atomic_load_n(&e->id, __ATOMIC_ACQUIRE);
            if (id == 0)
                continue;
            nonzero++;
            int ok = ioctl(t->fd, SECCOMP_IOCTL_NOTIF_ID_VALID, &id) == 0;
            uint32_t nr = __atomic_load_n(&e->nr, __ATOMIC_RELAXED);
            if (sl < sizeof(seen) - 64)
                sl += (size_t)snprintf(seen + sl, sizeof(seen) - sl, " [%u] id %llu nr %u %s;", r,
                                       (unsigned long long)id, nr, ok ? "VALID" : "answered");
            if (!ok)
                continue;
            valid++;
            keeper.n_inflight++;
            answer(t, id, nr, __atomic_load_n(&e->arch, __ATOMIC_RELAXED), __atomic_load_n(&e->pid, __ATOMIC_RELAXED));
        }
        uint64_t last = t ? __atomic_load_n((const uint64_t *)(uintptr_t)(slot + TBL_ID_BYTES), __ATOMIC_ACQUIRE) : 0;
        unsigned past = 0;
        for (uint32_t k = 1; last && k <= keeper.tbl_ring; k++) { /* ids are u64 from a random start: may wrap */
            uint64_t id = last + k;
            if (ioctl(t->fd, SECCOMP_IOCTL_NOTIF_ID_VALID, &id) == 0) {
                keeper.n_inflight++;
                keeper.n_unrecorded++;
                past++;
                answer(t, id, 0, 0, 0); /* arch 0: syscall unknown (action_for); kill has no pid: EPERM */
            }
        }
        klog("in-flight scan: slot %u tree %s%s last_id %llu, %u entr%s set, %u valid, %u past last_id:%s", s, name,
             t ? "" : " (not held: skipped)", (unsigned long long)last, nonzero, nonzero == 1 ? "y" : "ies", valid,
             past, seen);
    }
}

static void drop_table(void)
{
    if (keeper.tbl)
        munmap((void *)(uintptr_t)keeper.tbl, keeper.tbl_len);
    keeper.tbl = NULL;
}

static void takeover(void)
{
    if (!keeper.answering)
        ep_answer_handed(EPOLL_CTL_ADD); /* a notification already pending is reported at once */
    keeper.answering = 1;
    keeper.first_pending = 1;
    keeper.drop_ns = now_ns();
    keeper.n_answered = keeper.n_inflight = keeper.n_unrecorded = keeper.n_kills = keeper.n_sendfail = 0;
    klog("takeover: answering %u tree(s) from their fallback tables", keeper.ntrees);
    answer_inflight();
    if (keeper.n_inflight)
        klog("takeover: answered %llu in-flight notification(s), %llu of them found past last_id",
             (unsigned long long)keeper.n_inflight, (unsigned long long)keeper.n_unrecorded);
    set_timer(1);
}

static void orphan_intakes(void);

static void drop_conn(const char *why)
{
    klog("supervisor connection closed (%s)", why);
    keeper.conn_gone = 0;
    ep_both(EPOLL_CTL_DEL, keeper.conn, 0, 0, 0);
    close(keeper.conn);
    keeper.conn = -1;
    keeper.ilen = 0;
    keeper.skipping = 0;
    while (keeper.npend)
        close(keeper.pend[--keeper.npend].fd);
    int said_hello = keeper.conn_hello;
    keeper.conn_epoch++;
    orphan_intakes(); /* before the takeover: the listeners they hold become kept trees */
    if (keeper.conn_hello && keeper.ntrees > 0) /* nothing to answer: no takeover (an idle keeper then just exits) */
        takeover();
    keeper.conn_hello = 0;
    if (said_hello) /* a connection that never said HELLO (a probe) changes nothing */
        exit_if_idle();
}

/* 0, or -1 when the reply could not go out. A supervisor that stopped reading for 2 s (send
 * timeout) is dropped at once. One that is gone (EPIPE, ECONNRESET) is not: the requests it sent
 * before dying are still queued on the socket, and an ADD among them carries the only other copy
 * of a new tree's listener, so they are all handled, without replies, until EOF (then takeover). */
static int send_line(const char *s, int fd)
{
    if (keeper.conn_gone)
        return -1;
    size_t len = strlen(s);
    int rc = fd >= 0 ? attn_send_with_fds(keeper.conn, s, len, &fd, 1) : 0;
    for (size_t off = 0; fd < 0 && off < len;) {
        ssize_t n = send(keeper.conn, s + off, len - off, MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            rc = -1;
            break;
        }
        off += (size_t)n;
    }
    if (rc != 0 && (errno == EPIPE || errno == ECONNRESET)) {
        keeper.conn_gone = 1;
        klog("supervisor gone (%s): handling what it sent before, then takeover", strerror(errno));
    } else if (rc != 0) {
        drop_conn(errno == EAGAIN ? "send blocked for 2 s" : "send failed");
    }
    return rc;
}

/* Strict decimal: 1..10 digits, no sign, no leading zero, <= max. */
static int parse_num(const char *s, size_t n, uint32_t max, uint32_t *out)
{
    uint64_t v = 0;
    if (n == 0 || n > 10 || (n > 1 && s[0] == '0'))
        return -1;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        v = v * 10 + (uint64_t)(s[i] - '0');
    }
    if (v > max)
        return -1;
    *out = (uint32_t)v;
    return 0;
}

static int parse_act(const char *s, size_t n, int32_t *act)
{
    uint32_t e;
    if (n == 5 && memcmp(s, "allow", 5) == 0)
        *act = ACT_ALLOW;
    else if (n == 4 && memcmp(s, "kill", 4) == 0)
        *act = ACT_KILL;
    else if (n > 6 && memcmp(s, "errno:", 6) == 0 && parse_num(s + 6, n - 6, 4095, &e) == 0 && e > 0)
        *act = (int32_t)e;
    else
        return -1;
    return 0;
}

static const char *parse_spec(const char *s, struct tree *t)
{
    t->def = keeper.opt_default;
    t->nrules = 0;
    for (int first = 1; ; first = 0) {
        size_t n = strcspn(s, ","), k = strcspn(s, "=");
        int32_t act;
        uint32_t nr;
        if (k >= n || parse_act(s + k + 1, n - k - 1, &act) != 0)
            return "bad fallback spec";
        if (k == 7 && memcmp(s, "default", 7) == 0) {
            if (!first)
                return "bad fallback spec: default= must come first";
            t->def = act;
        } else if (parse_num(s, k, 0x7fffffff, &nr) != 0) {
            return "bad fallback spec";
        } else {
            for (uint32_t i = 0; i < t->nrules; i++)
                if (t->rules[i].nr == nr)
                    return "bad fallback spec: syscall listed twice";
            if (t->nrules == MAX_RULES)
                return "bad fallback spec: too many rules";
            t->rules[t->nrules++] = (struct rule){ nr, act };
        }
        if (s[n] == '\0')
            return NULL;
        s += n + 1;
    }
}

static int hexdig(char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }

static const char *new_tree(const char *id, uint32_t pid, const char *spec, int fd, int kept, int from_intake);
static void release_intake_copies(int fd);

/* ADD, or KEEP (kept != 0): the keeper answers the tree from now on, whoever is connected. */
static const char *do_add(char *a, size_t linelen, int fd, int kept)
{
    char *f[4];
    for (int i = 0; i < 4; i++) { /* exactly four fields, single spaces */
        f[i] = a;
        a += strcspn(a, " ");
        if (a == f[i] || (i < 3 && *a != ' ') || (i == 3 && *a != '\0'))
            return kept ? "usage: KEEP <tree-id> <pid> <fallback-spec> <meta>"
                        : "usage: ADD <tree-id> <pid> <fallback-spec> <meta>";
        *a++ = '\0';
    }
    size_t idlen = strlen(f[0]), mlen = strlen(f[3]);
    uint32_t pid;
    if (idlen > MAX_ID || strspn(f[0], "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-") != idlen)
        return "bad tree-id";
    if (parse_num(f[1], strlen(f[1]), INT32_MAX, &pid) != 0 || pid == 0)
        return "bad pid";
    if (mlen > MAX_META)
        return "bad meta: longer than 1024 bytes";
    for (size_t i = 0; i < mlen; i++)
        if (f[3][i] == '%' && !(hexdig(f[3][i + 1]) && hexdig(f[3][i + 2])))
            return "bad meta: '%' not followed by two hex digits";
    if (linelen + 1 > MAX_LINE - 1)
        return "line too long (the TREE echo must fit in 4096 bytes)";
    if (fd < 0)
        return kept ? "KEEP needs the listener attached" : "ADD needs the listener attached";
    uint64_t zero = 0;
    if (ioctl(fd, SECCOMP_IOCTL_NOTIF_ID_VALID, &zero) == 0 || errno != ENOENT)
        return "the fd is not a seccomp listener";
    if (find_tree(f[0], idlen))
        return "tree exists";
    const char *err = new_tree(f[0], pid, f[2], fd, kept, 0);
    if (err)
        return err;
    struct tree *t = find_tree(f[0], idlen);
    snprintf(t->args, sizeof(t->args), "%s %s %s", f[1], f[2], f[3]);
    if (!kept)
        release_intake_copies(fd);
    return NULL;
}

/* Holds fd as tree id under spec; the caller checked id, fd and that id is new. */
/* pid: the tree's first process (1 when unknown: a listener left by an intake connection) */
static const char *new_tree(const char *id, uint32_t pid, const char *spec, int fd, int kept, int from_intake)
{
    if (keeper.ntrees == MAX_TREES)
        return "too many trees";
    unsigned i = 0;
    while (keeper.trees[i].fd >= 0)
        i++;
    struct tree *t = &keeper.trees[i];
    const char *err = parse_spec(spec, t);
    if (err)
        return err;
    snprintf(t->id, sizeof(t->id), "%s", id);
    snprintf(t->args, sizeof(t->args), "%u %s -", pid, spec);
    t->fd = fd;
    t->kept = kept;
    t->from_intake = from_intake;
    keeper.ntrees++;
    keeper.nkept += (unsigned)kept;
    struct epoll_event ev = { .events = kept ? EPOLLIN : 0, .data.u64 = (uint64_t)t->gen << 32 | K_TREE << 16 | i };
    if (epoll_ctl(keeper.ep_watch, EPOLL_CTL_ADD, fd, &ev) != 0)
        fatal("epoll_ctl");
    if (keeper.answering || kept)
        ep_answer_tree(EPOLL_CTL_ADD, t);
    set_timer(keeper.answering || keeper.nkept > 0); /* a RECV that lost a race must not block a kept tree's keeper */
    klog("tree %s %s: pid %u, %u rule(s), %u tree(s) held", t->id, kept ? "kept (answered by the keeper)" : "added",
         pid, t->nrules, keeper.ntrees);
    return NULL;
}

static const char *do_shm(int fd)
{
    struct stat st;
    struct tbl_header h;
    if (fd < 0)
        return "SHM needs a memfd attached";
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode))
        return "not a memfd";
    int seals = fcntl(fd, F_GET_SEALS);
    if (seals < 0 || (!(seals & F_SEAL_SHRINK) && fcntl(fd, F_ADD_SEALS, F_SEAL_SHRINK) != 0))
        return "cannot seal the memfd against shrinking (create it with MFD_ALLOW_SEALING)";
    if (pread(fd, &h, sizeof(h), 0) != (ssize_t)sizeof(h))
        return "table too small";
    if (h.magic != TBL_MAGIC || h.version != TBL_VERSION)
        return "bad table magic or version";
    if (h.slots < 1 || h.slots > TBL_MAX_SLOTS || h.ring < 1 || h.ring > TBL_MAX_RING)
        return "bad table slots or ring";
    size_t need = TBL_HEADER + (size_t)h.slots * (TBL_SLOT_HEADER + (size_t)TBL_ENTRY * h.ring);
    if ((uint64_t)st.st_size < need)
        return "table larger than the memfd";
    void *p = mmap(NULL, need, PROT_READ, MAP_SHARED, fd, 0);
    if (p == MAP_FAILED)
        return "mmap failed";
    drop_table();
    keeper.tbl = p;
    keeper.tbl_len = need;
    keeper.tbl_slots = h.slots;
    keeper.tbl_ring = h.ring;
    close(fd);
    klog("shared table: %u slot(s) x %u entries", h.slots, h.ring);
    return NULL;
}

static void do_hello(void)
{
    if (keeper.answering && keeper.n_answered + keeper.n_inflight > 0)
        klog("handback: answered %llu notification(s) (%llu in flight, %llu kill(s), %llu send failure(s))",
             (unsigned long long)keeper.n_answered, (unsigned long long)keeper.n_inflight,
             (unsigned long long)keeper.n_kills,
             (unsigned long long)keeper.n_sendfail);
    if (keeper.answering)
        ep_answer_handed(EPOLL_CTL_DEL);
    keeper.answering = 0;
    set_timer(keeper.nkept > 0);
    keeper.n_answered = keeper.n_inflight = 0;
    drop_table();
    keeper.conn_hello = 1;
    snprintf(keeper.obuf, sizeof(keeper.obuf), "TREES %u\n", keeper.ntrees - keeper.nkept);
    if (send_line(keeper.obuf, -1) != 0)
        return;
    for (unsigned i = 0; i < MAX_TREES; i++)
        if (keeper.trees[i].fd >= 0 && !keeper.trees[i].kept) {
            snprintf(keeper.obuf, sizeof(keeper.obuf), "TREE %s %s\n", keeper.trees[i].id, keeper.trees[i].args);
            if (send_line(keeper.obuf, keeper.trees[i].fd) != 0)
                return;
        }
    if (send_line("END\n", -1) == 0)
        klog("supervisor said HELLO: %u tree(s) handed back, %u kept, watching", keeper.ntrees - keeper.nkept,
             keeper.nkept);
}

/* ---- the agent's socket (INTAKE) ------------------------------------------------------------
 * The keeper accepts the agent's connections itself, so that a listener handed to the agent is
 * never held by the agent's process alone: a copy is taken (MSG_PEEK hands out copies of the
 * SCM_RIGHTS fds and leaves the message queued) before the connection goes to the agent, which
 * reads the message as if it had accepted it. */

static int same_file(int a, int b)
{
    pid_t self = getpid();
    return syscall(SYS_kcmp, self, self, KCMP_FILE, a, b) == 0;
}

/* A peer's fd is a seccomp listener: its name first (no ioctl of ours reaches a peer's device),
 * then the listener's own ioctl. */
static int is_listener(int fd)
{
    char path[40], link[64];
    snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
    ssize_t n = readlink(path, link, sizeof(link) - 1);
    if (n < 0)
        return 0;
    link[n] = '\0';
    uint64_t zero = 0;
    return strcmp(link, "anon_inode:seccomp notify") == 0 && ioctl(fd, SECCOMP_IOCTL_NOTIF_ID_VALID, &zero) != 0 &&
           errno == ENOENT;
}

static void agent_interest(void)
{
    uint32_t ev = keeper.nintake < MAX_INTAKE && !keeper.agent_paused ? EPOLLIN : 0;
    if (keeper.agent_lsock >= 0)
        ep_both(EPOLL_CTL_MOD, keeper.agent_lsock, K_AGENT << 16, ev, 0);
}

static void free_intake(struct intake *in)
{
    if (!in->passed) {
        ep_both(EPOLL_CTL_DEL, in->conn, 0, 0, 0);
        keeper.nwaiting--;
    }
    while (in->nfds)
        close(in->fds[--in->nfds]);
    close(in->conn);
    in->conn = -1;
    in->gen++;
    keeper.nintake--;
    agent_interest();
}

/* No supervisor to pass it to: each listener it brought becomes a kept tree under INTAKE's spec. */
static void keep_intake(struct intake *in)
{
    for (unsigned k = 0; k < in->nfds; k++) {
        char id[MAX_ID + 1];
        snprintf(id, sizeof(id), k ? "intake-%llu.%u" : "intake-%llu", (unsigned long long)in->ticket, k);
        const char *err = new_tree(id, 1, keeper.intake_spec, in->fds[k], 1, 1);
        if (err) {
            klog("intake %llu: listener not kept (%s): its calls fail with ENOSYS", (unsigned long long)in->ticket, err);
            close(in->fds[k]);
        }
    }
    klog("intake %llu (pid %d uid %d): no supervisor; %u listener(s) left with the keeper", (unsigned long long)in->ticket,
         in->pid, in->uid, in->nfds);
    in->nfds = 0;
    free_intake(in);
}

/* First bytes seen: copies of the listeners taken; pass the connection on (or keep its listeners). */
static void intake_ready(struct intake *in)
{
    if (!in->passed) {
        ep_both(EPOLL_CTL_DEL, in->conn, 0, 0, 0);
        keeper.nwaiting--;
        in->passed = 1;
    }
    if (keeper.conn < 0 || !keeper.conn_hello || keeper.conn_gone || in->epoch != keeper.conn_epoch) {
        keep_intake(in);
        return;
    }
    snprintf(keeper.obuf, sizeof(keeper.obuf), "CONN %llu\n", (unsigned long long)in->ticket);
    if (send_line(keeper.obuf, in->conn) == 0)
        klog("intake %llu (pid %d uid %d): %u listener(s) held, passed to the supervisor", (unsigned long long)in->ticket,
             in->pid, in->uid, in->nfds);
    /* not sent: the supervisor is gone, orphan_intakes keeps the listeners */
}

/* Peeks at the first message: 0 while nothing came yet, else 1 (listeners copied, others closed). */
static int intake_peek(struct intake *in)
{
    char b;
    union { struct cmsghdr align; char b[CMSG_SPACE(sizeof(int) * MAX_INTAKE_FDS)]; } u;
    struct iovec iov = { &b, 1 };
    struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = u.b, .msg_controllen = sizeof(u.b) };
    ssize_t n = recvmsg(in->conn, &m, MSG_PEEK | MSG_DONTWAIT | MSG_CMSG_CLOEXEC);
    if (n < 0 && (errno == EAGAIN || errno == EINTR))
        return 0;
    unsigned other = 0;
    for (struct cmsghdr *c = CMSG_FIRSTHDR(&m); n > 0 && c; c = CMSG_NXTHDR(&m, c)) {
        if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS)
            continue;
        size_t nfd = (c->cmsg_len - CMSG_LEN(0)) / sizeof(int);
        for (size_t k = 0; k < nfd; k++) {
            int fd;
            memcpy(&fd, CMSG_DATA(c) + k * sizeof(int), sizeof(int));
            if (in->nfds < MAX_INTAKE_FDS && is_listener(fd)) {
                in->fds[in->nfds++] = fd;
            } else {
                close(fd);
                other++;
            }
        }
    }
    if (other)
        klog("intake %llu (pid %d uid %d): %u fd(s) that are no seccomp listener not held", (unsigned long long)in->ticket,
             in->pid, in->uid, other);
    return 1;
}

static void intake_readable(struct intake *in)
{
    if (intake_peek(in))
        intake_ready(in);
}

static int agent_allows(int uid)
{
    for (unsigned i = 0; i < keeper.nagent_uids; i++)
        if (keeper.agent_uids[i] == uid)
            return 1;
    return 0;
}

static void accept_intake(void)
{
    while (keeper.agent_lsock >= 0 && keeper.nintake < MAX_INTAKE) {
        int c = accept4(keeper.agent_lsock, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);
        if (c < 0) {
            if (errno == EMFILE || errno == ENFILE) { /* the backlog waits; the 100 ms tick resumes */
                klog("agent socket: %s; accepting pauses", strerror(errno));
                keeper.agent_paused = 1;
                agent_interest();
            }
            return;
        }
        unsigned i = 0;
        while (keeper.intakes[i].conn >= 0)
            i++;
        struct intake *in = &keeper.intakes[i];
        struct ucred cr = { .pid = -1, .uid = (uid_t)-1 };
        socklen_t len = sizeof(cr);
        getsockopt(c, SOL_SOCKET, SO_PEERCRED, &cr, &len);
        in->conn = c;
        in->ticket = ++keeper.next_ticket;
        in->epoch = keeper.conn_epoch;
        in->uid = (int)cr.uid;
        in->pid = cr.pid;
        in->nfds = 0;
        in->passed = 0;
        keeper.nintake++;
        unsigned same_uid = 0;
        for (unsigned k = 0; k < MAX_INTAKE; k++)
            same_uid += keeper.intakes[k].conn >= 0 && !keeper.intakes[k].passed && keeper.intakes[k].uid == in->uid;
        if (!agent_allows(in->uid) || same_uid > INTAKE_PER_UID) {
            in->passed = 1; /* the agent refuses it, or counts it against the uid's share: nothing held */
            intake_ready(in);
            continue;
        }
        in->deadline_ns = now_ns() + INTAKE_WAIT_NS;
        keeper.nwaiting++;
        ep_both(EPOLL_CTL_ADD, c, (uint64_t)in->gen << 32 | K_INTAKE << 16 | i, EPOLLIN | EPOLLRDHUP, 0);
        intake_readable(in);
    }
    agent_interest();
}

/* Connections that sent nothing in time are closed; out of fds, accepting resumes a tick later. */
static void expire_intakes(void)
{
    uint64_t now = now_ns();
    for (unsigned i = 0; i < MAX_INTAKE && keeper.nwaiting; i++) {
        struct intake *in = &keeper.intakes[i];
        if (in->conn >= 0 && !in->passed && now > in->deadline_ns) {
            klog("intake %llu (pid %d uid %d): nothing sent within %llu s: closed", (unsigned long long)in->ticket,
                 in->pid, in->uid, INTAKE_WAIT_NS / 1000000000ULL);
            free_intake(in);
        }
    }
    if (keeper.agent_paused) {
        keeper.agent_paused = 0;
        agent_interest();
    }
    exit_if_idle();
}

/* The supervisor adopted a listener (ADD): the copies taken from its connection go. */
static void release_intake_copies(int fd)
{
    for (unsigned i = 0; i < MAX_INTAKE; i++) {
        struct intake *in = &keeper.intakes[i];
        for (unsigned k = 0; in->conn >= 0 && k < in->nfds; k++)
            if (same_file(fd, in->fds[k])) {
                close(in->fds[k]);
                in->fds[k--] = in->fds[--in->nfds];
            }
    }
    for (unsigned i = 0; i < MAX_TREES; i++)
        if (keeper.trees[i].fd >= 0 && keeper.trees[i].from_intake && same_file(fd, keeper.trees[i].fd))
            free_tree(&keeper.trees[i], "its listener was added by the supervisor");
}

static void close_agent_socket(void)
{
    if (keeper.agent_lsock < 0)
        return;
    ep_both(EPOLL_CTL_DEL, keeper.agent_lsock, 0, 0, 0);
    close(keeper.agent_lsock);
    keeper.agent_lsock = -1;
}

/* The supervisor is gone: what waits in the agent's backlog is accepted, the socket closed (no one
 * accepts any more: a runtime gets ECONNREFUSED), and every listener held is kept. */
static void orphan_intakes(void)
{
    if (keeper.agent_lsock >= 0) {
        accept_intake();
        klog("agent socket closed: the supervisor is gone (%u connection(s) held)", keeper.nintake);
        close_agent_socket();
    }
    for (unsigned i = 0; i < MAX_INTAKE; i++)
        if (keeper.intakes[i].conn >= 0 && keeper.intakes[i].passed)
            keep_intake(&keeper.intakes[i]);
}

/* INTAKE <spec> <uids> with the agent's listening socket. */
static const char *do_intake(char *a, int fd)
{
    char *uids = a ? strrchr(a, ' ') : NULL;
    if (!uids || uids == a)
        return "usage: INTAKE <fallback-spec> <uids>";
    *uids++ = '\0';
    if (fd < 0)
        return "INTAKE needs the listening socket attached";
    int v, acc;
    socklen_t len = sizeof(v);
    if (getsockopt(fd, SOL_SOCKET, SO_DOMAIN, &v, &len) != 0 || v != AF_UNIX ||
        getsockopt(fd, SOL_SOCKET, SO_TYPE, &v, &len) != 0 || v != SOCK_STREAM ||
        getsockopt(fd, SOL_SOCKET, SO_ACCEPTCONN, &acc, &len) != 0 || !acc)
        return "the fd is not a listening AF_UNIX stream socket";
    if (strchr(a, ' ') || parse_spec(a, &keeper.scratch))
        return "bad fallback spec";
    int list[MAX_UIDS + 1];
    unsigned n = 0;
    list[n++] = 0;
    for (char *u = uids; strcmp(uids, "-") != 0;) {
        size_t l = strcspn(u, ",");
        uint32_t uid;
        if (n > MAX_UIDS || parse_num(u, l, INT32_MAX, &uid) != 0)
            return "bad uids (\"-\" or up to 16 decimal uids, comma-separated)";
        list[n++] = (int)uid;
        if (u[l] == '\0')
            break;
        u += l + 1;
    }
    if (fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK) != 0)
        return "cannot make the socket non-blocking";
    close_agent_socket();
    memcpy(keeper.agent_uids, list, sizeof(list));
    keeper.nagent_uids = n;
    snprintf(keeper.intake_spec, sizeof(keeper.intake_spec), "%s", a);
    keeper.agent_lsock = fd;
    ep_both(EPOLL_CTL_ADD, fd, K_AGENT << 16, 0, 0);
    agent_interest();
    klog("agent socket held: accepting its connections (fallback %s, %u uid(s))", a, n);
    return NULL;
}

static void do_done(const char *a)
{
    uint64_t t = strtoull(a, NULL, 10);
    for (unsigned i = 0; i < MAX_INTAKE; i++)
        if (keeper.intakes[i].conn >= 0 && keeper.intakes[i].ticket == t && keeper.intakes[i].passed) {
            free_intake(&keeper.intakes[i]);
            return;
        }
}

/* One request line (NUL-terminated in place of its '\n'); owns fd. */
static void handle_line(char *l, size_t len, int fd)
{
    const char *err = NULL;
    for (size_t i = 0; i < len && !err; i++)
        if (l[i] < 0x20 || l[i] > 0x7e)
            err = "bad characters";
    char *args = strchr(l, ' ');
    if (args)
        *args++ = '\0';
    int needs_fd = strcmp(l, "ADD") == 0 || strcmp(l, "KEEP") == 0 || strcmp(l, "SHM") == 0 || strcmp(l, "INTAKE") == 0;
    if (err) {
    } else if (!needs_fd && fd >= 0) {
        err = "unexpected fd";
    } else if (strcmp(l, "PING") == 0 && !args) {
        send_line("PONG\n", -1);
        return;
    } else if (strcmp(l, "HELLO") == 0) {
        if (!args || strcmp(args, "2") != 0)
            err = "unsupported protocol version (want HELLO 2)";
        else {
            do_hello();
            return;
        }
    } else if (!keeper.conn_hello) {
        err = "HELLO first";
    } else if (strcmp(l, "ADD") == 0 || strcmp(l, "KEEP") == 0) {
        int kept = l[0] == 'K';
        err = args ? do_add(args, len, fd, kept)
                   : kept ? "usage: KEEP <tree-id> <pid> <fallback-spec> <meta>"
                          : "usage: ADD <tree-id> <pid> <fallback-spec> <meta>";
        fd = err ? fd : -1;
    } else if (strcmp(l, "SHM") == 0) {
        err = args ? "usage: SHM" : do_shm(fd);
        fd = err ? fd : -1;
    } else if (strcmp(l, "INTAKE") == 0) {
        err = do_intake(args, fd);
        fd = err ? fd : -1;
    } else if (strcmp(l, "DONE") == 0) {
        if (args && *args && args[0] != '0' && strlen(args) <= 19 && strspn(args, "0123456789") == strlen(args))
            do_done(args);
        else
            err = "usage: DONE <ticket>";
    } else if (strcmp(l, "DEL") == 0) {
        struct tree *t = args ? find_tree(args, strlen(args)) : NULL;
        if (t)
            free_tree(t, "DEL");
        else
            err = "no such tree"; /* usually dropped here first, its processes gone: not logged */
    } else {
        err = "unknown request";
    }
    if (fd >= 0)
        close(fd);
    if (err && strcmp(l, "DEL") != 0)
        klog("request rejected: %s", err);
    snprintf(keeper.obuf, sizeof(keeper.obuf), err ? "ERR %s\n" : "OK\n", err);
    send_line(keeper.obuf, -1);
}

static void conn_readable(void)
{
    union { struct cmsghdr align; char b[CMSG_SPACE(sizeof(int))]; } u;
    struct iovec iov = { keeper.ibuf + keeper.ilen, sizeof(keeper.ibuf) - keeper.ilen };
    struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = u.b, .msg_controllen = sizeof(u.b) };
    ssize_t n = recvmsg(keeper.conn, &m, MSG_DONTWAIT | MSG_CMSG_CLOEXEC);
    if (n < 0 && (errno == EAGAIN || errno == EINTR))
        return;
    int fd = -1;
    for (struct cmsghdr *c = CMSG_FIRSTHDR(&m); n > 0 && c; c = CMSG_NXTHDR(&m, c))
        if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS && c->cmsg_len >= CMSG_LEN(sizeof(int)))
            memcpy(&fd, CMSG_DATA(c), sizeof(int)); /* more than one fd: the kernel closed the rest */
    if (n <= 0) {
        drop_conn(n == 0 ? "EOF" : strerror(errno));
        return;
    }
    if (fd >= 0) { /* belongs to the last line starting in this chunk */
        size_t p = keeper.ilen + (size_t)n;
        int found = 0;
        while (!found && p > keeper.ilen) {
            p--;
            found = p == 0 ? !keeper.skipping : keeper.ibuf[p - 1] == '\n';
        }
        if (found && keeper.npend < 4) {
            keeper.pend[keeper.npend].pos = p;
            keeper.pend[keeper.npend++].fd = fd;
        } else {
            klog("stray fd (not at a line start) closed");
            close(fd);
        }
    }
    keeper.ilen += (size_t)n;
    size_t s = 0;
    char *nl;
    while ((nl = memchr(keeper.ibuf + s, '\n', keeper.ilen - s)) != NULL) {
        size_t e = (size_t)(nl - keeper.ibuf);
        int lfd = -1;
        for (unsigned i = 0; i < keeper.npend; i++)
            if (keeper.pend[i].pos == s) {
                lfd = keeper.pend[i].fd;
                keeper.pend[i] = keeper.pend[--keeper.npend];
                break;
            }
        *nl = '\0';
        if (keeper.skipping) {
            keeper.skipping = 0;
            if (lfd >= 0)
                close(lfd);
        } else {
            handle_line(keeper.ibuf + s, e - s, lfd);
        }
        if (keeper.conn < 0)
            return;
        s = e + 1;
    }
    memmove(keeper.ibuf, keeper.ibuf + s, keeper.ilen - s);
    keeper.ilen -= s;
    for (unsigned i = 0; i < keeper.npend; i++)
        keeper.pend[i].pos -= s;
    if (keeper.ilen == sizeof(keeper.ibuf)) {
        if (!keeper.skipping) {
            klog("request rejected: line longer than %d bytes", MAX_LINE);
            send_line("ERR line too long\n", -1);
        }
        keeper.skipping = 1;
        keeper.ilen = 0;
        while (keeper.npend)
            close(keeper.pend[--keeper.npend].fd);
    }
}

static void accept_conn(void)
{
    int c = accept4(keeper.lsock, NULL, NULL, SOCK_CLOEXEC);
    if (c < 0)
        return;
    struct ucred cr;
    socklen_t len = sizeof(cr);
    int ok = getsockopt(c, SOL_SOCKET, SO_PEERCRED, &cr, &len) == 0;
    unsigned i = 0;
    while (ok && i < keeper.nuids && keeper.uids[i] != cr.uid)
        i++;
    const char *no = !ok || i == keeper.nuids ? "ERR refused\n" : keeper.conn >= 0 ? "ERR busy\n" : NULL;
    if (no) {
        klog("connection from pid %d uid %d refused (%s)", ok ? cr.pid : -1, ok ? (int)cr.uid : -1,
             no[4] == 'r' ? "unknown uid" : "a supervisor is connected");
        (void)!send(c, no, strlen(no), MSG_DONTWAIT | MSG_NOSIGNAL);
        close(c);
        return;
    }
    struct timeval tv = { 2, 0 }; /* a supervisor that stops reading is dropped */
    setsockopt(c, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
    keeper.conn = c;
    ep_both(EPOLL_CTL_ADD, c, K_CONN << 16, EPOLLIN, 0);
    klog("supervisor connected: pid %d uid %d", cr.pid, (int)cr.uid);
}

static void open_socket(const char *path)
{
    struct sockaddr_un sa = { .sun_family = AF_UNIX };
    if (strlen(path) >= sizeof(sa.sun_path) || strlen(path) == 0) {
        klog("fatal: --socket %s is %zu bytes, not 1 to the %zu a Unix socket address holds", path, strlen(path),
             sizeof(sa.sun_path) - 1);
        exit(2);
    }
    strcpy(sa.sun_path, path);
    char dir[sizeof(sa.sun_path)];
    strcpy(dir, path);
    char *slash = strrchr(dir, '/');
    if (slash && slash != dir) {
        *slash = '\0';
        if (mkdir(dir, 0700) == 0)
            klog("created directory %s (0700)", dir);
        else if (errno != EEXIST)
            fatal(dir);
    }
    keeper.lsock = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (keeper.lsock < 0)
        fatal("socket");
    struct stat st;
    if (lstat(path, &st) == 0) { /* stale socket of a dead keeper, or a live keeper? */
        if (!S_ISSOCK(st.st_mode)) {
            errno = EEXIST;
            fatal(path);
        }
        if (connect(keeper.lsock, (struct sockaddr *)&sa, sizeof(sa)) == 0) {
            errno = EADDRINUSE;
            fatal("another keeper is listening");
        }
        if (errno != ECONNREFUSED || unlink(path) != 0)
            fatal(path);
        close(keeper.lsock);
        keeper.lsock = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    }
    mode_t old = umask(0177);
    if (keeper.lsock < 0 || bind(keeper.lsock, (struct sockaddr *)&sa, sizeof(sa)) != 0 || chmod(path, 0600) != 0 ||
        listen(keeper.lsock, 8) != 0)
        fatal(path);
    umask(old);
}

int main(int argc, char **argv)
{
    const char *path = NULL;
    keeper.opt_default = 1;
    keeper.lsock = keeper.conn = keeper.agent_lsock = -1;
    keeper.answering = 1;
    keeper.uids[keeper.nuids++] = 0;
    keeper.uids[keeper.nuids++] = getuid();
    static const struct option longopts[] = {
        { "socket", required_argument, NULL, 's' }, { "uid", required_argument, NULL, 'u' },
        { "default", required_argument, NULL, 'd' }, { "exit-when-idle", no_argument, NULL, 'x' },
        { NULL, 0, NULL, 0 },
    };
    int bad = 0, opt;
    uint32_t v;
    opterr = 0; /* one usage line below, not getopt's own */
    while (!bad && (opt = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
        if (opt == 's')
            path = optarg;
        else if (opt == 'u' && keeper.nuids <= MAX_UIDS && parse_num(optarg, strlen(optarg), INT32_MAX, &v) == 0)
            keeper.uids[keeper.nuids++] = v;
        else if (opt == 'd' && parse_act(optarg, strlen(optarg), &keeper.opt_default) == 0)
            continue;
        else if (opt == 'x')
            keeper.opt_exit_idle = 1;
        else
            bad = 1;
    }
    if (bad || optind != argc)
        path = NULL;
    keeper.sock_path = path;
    if (!path) {
        fprintf(stderr, "usage: attenuator-keeper --socket PATH [--uid UID]... [--default allow|errno:N|kill]"
                        " [--exit-when-idle]\n");
        return 2;
    }
    prctl(PR_SET_DUMPABLE, 0); /* no ptrace/pidfd_getfd of the listeners by same-uid processes */
    signal(SIGPIPE, SIG_IGN);
    struct sigaction sa = { .sa_handler = on_alarm }; /* no SA_RESTART */
    sigaction(SIGALRM, &sa, NULL);
    struct rlimit rl;
    if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
        rl.rlim_cur = rl.rlim_max;
        setrlimit(RLIMIT_NOFILE, &rl);
    }
    if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < MAX_TREES + 16)
        klog("warning: RLIMIT_NOFILE %llu < %d: fewer trees fit", (unsigned long long)rl.rlim_cur, MAX_TREES + 16);
    if (attn_seccomp(SECCOMP_GET_NOTIF_SIZES, 0, &keeper.sizes) != 0)
        fatal("SECCOMP_GET_NOTIF_SIZES");
    if (keeper.sizes.seccomp_notif > sizeof(keeper.req) || keeper.sizes.seccomp_notif_resp > sizeof(keeper.resp)) {
        errno = EOVERFLOW;
        fatal("notification sizes");
    }
    for (unsigned i = 0; i < MAX_TREES; i++)
        keeper.trees[i].fd = -1;
    for (unsigned i = 0; i < MAX_INTAKE; i++)
        keeper.intakes[i].conn = -1;
    keeper.ep_watch = epoll_create1(EPOLL_CLOEXEC);
    keeper.ep_answer = epoll_create1(EPOLL_CLOEXEC);
    if (keeper.ep_watch < 0 || keeper.ep_answer < 0)
        fatal("epoll_create1");
    open_socket(path);
    ep_both(EPOLL_CTL_ADD, keeper.lsock, K_LISTEN << 16, EPOLLIN, 0);
    klog("listening on %s (pid %d, default fallback %s%d)", path, (int)getpid(),
         keeper.opt_default == ACT_ALLOW ? "allow " : keeper.opt_default == ACT_KILL ? "kill " : "errno:",
         keeper.opt_default);
    struct epoll_event evs[64];
    for (;;) {
        int n = epoll_wait(keeper.answering ? keeper.ep_answer : keeper.ep_watch, evs, 64,
                           keeper.nwaiting || keeper.agent_paused ? 100 : -1);
        if (n < 0 && errno != EINTR)
            fatal("epoll_wait");
        for (int i = 0; i < n; i++) {
            uint64_t tag = evs[i].data.u64;
            unsigned kind = (unsigned)(tag >> 16 & 0xffff), idx = (unsigned)(tag & 0xffff);
            if (kind == K_LISTEN)
                accept_conn();
            else if (kind == K_CONN && keeper.conn >= 0)
                conn_readable();
            else if (kind == K_AGENT)
                accept_intake();
            else if (kind == K_INTAKE && keeper.intakes[idx].conn >= 0 && !keeper.intakes[idx].passed &&
                     keeper.intakes[idx].gen == (uint32_t)(tag >> 32))
                intake_readable(&keeper.intakes[idx]);
            else if (kind == K_TREE && keeper.trees[idx].fd >= 0 && keeper.trees[idx].gen == (uint32_t)(tag >> 32)) {
                if ((keeper.answering || keeper.trees[idx].kept) && (evs[i].events & EPOLLIN))
                    answer_next(&keeper.trees[idx]);
                else if (evs[i].events & (EPOLLHUP | EPOLLERR))
                    free_tree(&keeper.trees[idx], "all its processes exited");
            }
        }
        if (keeper.nwaiting || keeper.agent_paused)
            expire_intakes();
    }
}
