/*
 * Tries to survive a kill rule on uname: catches, ignores or blocks SIGSYS first, then calls
 * uname and says so if it is still alive ("caught" from the handler, "survived RC" after).
 * Usage: sigsys_dodger catch|ignore|block
 */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

static void on_sigsys(int sig) {
    (void) sig;
    static const char msg[] = "caught\n";
    (void) !write(1, msg, sizeof msg - 1);
}

int main(int argc, char **argv) {
    struct utsname u;
    sigset_t set;
    if (argc != 2) {
        fprintf(stderr, "usage: sigsys_dodger catch|ignore|block\n");
        return 2;
    }
    if (strcmp(argv[1], "catch") == 0) {
        signal(SIGSYS, on_sigsys);
    } else if (strcmp(argv[1], "ignore") == 0) {
        signal(SIGSYS, SIG_IGN);
    } else {
        sigemptyset(&set);
        sigaddset(&set, SIGSYS);
        sigprocmask(SIG_BLOCK, &set, NULL);
    }
    int rc = uname(&u);
    printf("survived %d\n", rc);
    return 0;
}
