/*
 * attenuator-signals - starts `attenuator run`'s JVM with the signals that run forwards to its
 * target already blocked, so that none of them can end the JVM or be lost between the moment
 * `run` starts and the moment its target exists.
 *
 *   attenuator-signals CMD [ARG...]
 *
 * Blocks SIGHUP, SIGINT, SIGQUIT, SIGUSR1, SIGUSR2, SIGTERM and SIGWINCH and execs CMD (searched
 * in PATH). A blocked signal stays pending across execve; the JVM (started with -Xrs and
 * _JAVA_SR_SIGNUM moved off SIGUSR2, so that HotSpot unblocks none of them in its threads) reads
 * them from a signalfd and forwards them to the target, which gets every signal unblocked and at
 * its default again from attenuator-exec.
 *
 * Exit status when CMD cannot be executed: 127 not found, 126 otherwise (as a shell).
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    static const int forwarded[] = { SIGHUP, SIGINT, SIGQUIT, SIGUSR1, SIGUSR2, SIGTERM, SIGWINCH };
    if (argc < 2) {
        fputs("usage: attenuator-signals CMD [ARG...]\n", stderr);
        return 2;
    }
    sigset_t set;
    sigemptyset(&set);
    for (size_t i = 0; i < sizeof(forwarded) / sizeof(forwarded[0]); i++)
        sigaddset(&set, forwarded[i]);
    if (sigprocmask(SIG_BLOCK, &set, NULL) != 0) {
        fprintf(stderr, "attenuator-signals: sigprocmask: %s\n", strerror(errno));
        return 126;
    }
    execvp(argv[1], argv + 1);
    int e = errno;
    fprintf(stderr, "attenuator-signals: %s: %s\n", argv[1], strerror(e));
    return e == ENOENT ? 127 : 126;
}
