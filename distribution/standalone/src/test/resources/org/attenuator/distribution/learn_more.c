/*
 * Behaviour A, and with the argument "ab" behaviour B as well, through raw syscalls so that the C
 * library adds nothing of its own:
 *   A: socket(AF_UNIX, SOCK_STREAM), fcntl(fd, F_GETFL), getcwd REPEAT times
 *   B: socket(AF_UNIX, SOCK_DGRAM) and fcntl(fd, F_GETFD): new values of learned syscalls;
 *      uname: a new syscall
 * Prints "ok" when every call succeeded.
 */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <unistd.h>

#define REPEAT 200

int main(int argc, char **argv)
{
    char cwd[4096];
    struct utsname uts;
    int both = argc > 1 && strcmp(argv[1], "ab") == 0;
    long stream = syscall(SYS_socket, AF_UNIX, SOCK_STREAM, 0);
    int failed = stream < 0 || syscall(SYS_fcntl, stream, F_GETFL) < 0;
    for (int i = 0; i < REPEAT; i++) {
        failed |= syscall(SYS_getcwd, cwd, sizeof(cwd)) < 0;
    }
    if (both) {
        long dgram = syscall(SYS_socket, AF_UNIX, SOCK_DGRAM, 0);
        failed |= dgram < 0 || syscall(SYS_fcntl, dgram, F_GETFD) < 0 || syscall(SYS_uname, &uts) < 0;
    }
    puts(failed ? "failed" : "ok");
    return failed;
}
