/*
 * Makes calls a profile denies and prints what each returned: "NAME 0" or "NAME ERRNO".
 * Usage: denied_calls DIR  (mkdir DIR/a, rmdir DIR/b, kill(self, 0), kill(self, SIGUSR2) with
 * SIGUSR2 ignored, acct(DIR/c)), then exits 0.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

static void report(const char *name, int rc) {
    printf("%s %d\n", name, rc == 0 ? 0 : errno);
    fflush(stdout);
}

int main(int argc, char **argv) {
    char path[4096];
    if (argc != 2) {
        fprintf(stderr, "usage: denied_calls DIR\n");
        return 2;
    }
    signal(SIGUSR2, SIG_IGN);
    snprintf(path, sizeof path, "%s/a", argv[1]);
    report("mkdir", mkdir(path, 0700));
    snprintf(path, sizeof path, "%s/b", argv[1]);
    report("rmdir", rmdir(path));
    report("kill0", kill(getpid(), 0));
    report("kill12", kill(getpid(), SIGUSR2));
    snprintf(path, sizeof path, "%s/c", argv[1]);
    report("acct", acct(path));
    return 0;
}
