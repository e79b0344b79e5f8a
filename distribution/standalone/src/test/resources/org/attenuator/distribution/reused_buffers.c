/*
 * A target that reuses its buffers at once, as real programs do, and exits right after: the
 * deny-log must show what each call was given, not what the buffer held later.
 *   reused_buffers DIR   mkdir DIR/dz1 then DIR/dz2 from one buffer; connect to 127.0.0.1:9
 *                        from a sockaddr then overwritten with 0xff; prints each call's errno
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    if (argc != 2)
        return 2;
    static char path[4096];
    const char *names[] = {"dz1", "dz2"};
    for (int i = 0; i < 2; i++) {
        snprintf(path, sizeof(path), "%s/%s", argv[1], names[i]);
        int rc = mkdir(path, 0700);
        printf("mkdir %s %d\n", names[i], rc < 0 ? errno : 0);
    }
    memset(path, 'x', sizeof(path) - 1);

    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons(9)};
    inet_pton(AF_INET, "127.0.0.1", &sa.sin_addr);
    int rc = connect(fd, (struct sockaddr *)&sa, sizeof(sa));
    printf("connect %d\n", rc < 0 ? errno : 0);
    memset(&sa, 0xff, sizeof(sa));
    fflush(stdout);
    _exit(0);
}
