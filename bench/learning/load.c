/*
 * A small HTTP/1.1 keep-alive load client, for machines without wrk or ab:
 *   load HOST PORT CONNECTIONS SECONDS
 * Keeps CONNECTIONS connections busy with "GET /" (one request in flight each) for SECONDS and
 * prints the completed responses per second. Responses need a Content-Length (a static file), and
 * the server must keep connections open (nginx: keepalive_requests high enough for the run).
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define MAX_CONNECTIONS 64
#define BUFFER 65536

static const char REQUEST[] = "GET / HTTP/1.1\r\nHost: bench\r\n\r\n";

struct connection {
    int fd;
    char buf[BUFFER];
    size_t have;
};

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static int open_connection(const char *host, int port)
{
    struct sockaddr_in addr = { .sin_family = AF_INET, .sin_port = htons((unsigned short)port) };
    int one = 1;
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0 || inet_pton(AF_INET, host, &addr.sin_addr) != 1
            || connect(fd, (struct sockaddr *)&addr, sizeof(addr)) != 0) {
        perror("load: connect");
        exit(2);
    }
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
    return fd;
}

static void send_request(int fd)
{
    if (write(fd, REQUEST, sizeof(REQUEST) - 1) != (ssize_t)(sizeof(REQUEST) - 1)) {
        perror("load: write");
        exit(2);
    }
}

/* The length of the first complete response in c->buf, or 0 if it is not all there yet. */
static size_t complete_response(struct connection *c)
{
    char *end;
    char *length;
    c->buf[c->have] = '\0';
    end = strstr(c->buf, "\r\n\r\n");
    if (end == NULL) {
        return 0;
    }
    length = strstr(c->buf, "Content-Length: ");
    if (length == NULL || length > end) {
        fprintf(stderr, "load: a response without Content-Length\n");
        exit(2);
    }
    size_t total = (size_t)(end + 4 - c->buf) + strtoul(length + 16, NULL, 10);
    return c->have >= total ? total : 0;
}

int main(int argc, char **argv)
{
    static struct connection connections[MAX_CONNECTIONS];
    struct pollfd fds[MAX_CONNECTIONS];
    if (argc != 5) {
        fprintf(stderr, "usage: load HOST PORT CONNECTIONS SECONDS\n");
        return 2;
    }
    int n = atoi(argv[3]);
    double seconds = atof(argv[4]);
    if (n < 1 || n > MAX_CONNECTIONS || seconds <= 0) {
        fprintf(stderr, "load: 1..%d connections and a positive duration\n", MAX_CONNECTIONS);
        return 2;
    }
    for (int i = 0; i < n; i++) {
        connections[i].fd = open_connection(argv[1], atoi(argv[2]));
        fds[i].fd = connections[i].fd;
        fds[i].events = POLLIN;
        send_request(connections[i].fd);
    }
    long responses = 0;
    double start = now();
    double deadline = start + seconds;
    while (now() < deadline) {
        if (poll(fds, (nfds_t)n, 100) < 0) {
            perror("load: poll");
            return 2;
        }
        for (int i = 0; i < n; i++) {
            struct connection *c = &connections[i];
            if (!(fds[i].revents & (POLLIN | POLLHUP | POLLERR))) {
                continue;
            }
            ssize_t got = read(c->fd, c->buf + c->have, BUFFER - 1 - c->have);
            if (got <= 0) {
                fprintf(stderr, "load: the server closed a connection\n");
                return 2;
            }
            c->have += (size_t)got;
            size_t done;
            while ((done = complete_response(c)) > 0) {
                memmove(c->buf, c->buf + done, c->have - done);
                c->have -= done;
                responses++;
                send_request(c->fd);
            }
        }
    }
    printf("%.0f\n", (double)responses / (now() - start));
    return 0;
}
