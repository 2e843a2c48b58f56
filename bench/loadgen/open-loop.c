// Open-loop HTTP/1.1 load at a fixed rate, for latency: request i is due at t0 + i / rate whatever happened to
// earlier ones, and its latency counts from that due time (no coordinated omission). The same measurement as
// bench/open-loop.mjs, in C: on a two-core machine the Node generator spent ~500 µs of CPU per request (more than
// the server under test) and paused for its own garbage collection, and both landed in the measured tail.
// One thread, epoll, keep-alive connections opened before the clock starts, one request in flight per connection;
// due requests wait in a FIFO when every connection is busy (their wait counts). The bench compiles it with cc.
// A rate of 0 is the closed loop instead (every connection flat out, like autocannon, for throughput).
//   open-loop <host> <port> <path> <rate> <seconds> <connections> ["Header: value" …]
// Prints one JSON line: {"rps","requests","p50","p99","max","errors","non2xx"} (milliseconds).
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

#define BUF_SIZE (1 << 20)

typedef struct {
  int fd;
  int busy;
  double due;   // due time (ms) of the request in flight
  size_t sent;  // bytes of the request written so far
  char *buf;
  size_t len;
} conn_t;

static const char *host;
static int port;
static char *request;
static size_t request_len;
static double *latencies;
static long completed, errors, non2xx;

static double now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static void die(const char *what) {
  perror(what);
  exit(2);
}

static int open_conn(int ep, conn_t *c) {
  struct sockaddr_in addr = {.sin_family = AF_INET, .sin_port = htons(port)};
  if (inet_pton(AF_INET, host, &addr.sin_addr) != 1) {
    fprintf(stderr, "open-loop: host must be an IPv4 address: %s\n", host);
    exit(2);
  }
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) die("socket");
  if (connect(fd, (struct sockaddr *)&addr, sizeof addr) != 0) die("connect");  // blocking: before the clock starts
  int one = 1;
  setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  struct epoll_event ev = {.events = EPOLLIN, .data.ptr = c};
  if (epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev) != 0) die("epoll_ctl");
  c->fd = fd;
  c->busy = 0;
  c->len = 0;
  return fd;
}

static void reconnect(int ep, conn_t *c) {
  epoll_ctl(ep, EPOLL_CTL_DEL, c->fd, NULL);
  close(c->fd);
  open_conn(ep, c);
}

/** Writes one request; on failure counts an error, reconnects and returns -1 (the connection is then idle). */
static int send_request(int ep, conn_t *c, double due) {
  c->busy = 1;
  c->due = due;
  c->len = 0;
  c->sent = 0;
  while (c->sent < request_len) {
    ssize_t n = write(c->fd, request + c->sent, request_len - c->sent);
    if (n < 0) {
      if (errno == EAGAIN || errno == EINTR) continue;  // a request is tiny; the socket buffer is never full for long
      errors++;
      completed++;
      reconnect(ep, c);
      return -1;
    }
    c->sent += (size_t)n;
  }
  return 0;
}

/** Length of a complete response at the start of buf, or 0 if more bytes are needed. */
static size_t response_length(const char *buf, size_t len) {
  const char *end = memmem(buf, len, "\r\n\r\n", 4);
  if (!end) return 0;
  size_t head = (size_t)(end - buf) + 4;
  for (const char *p = buf; p < end;) {
    const char *eol = memmem(p, (size_t)(end - p) + 2, "\r\n", 2);
    if (!eol) break;
    if (eol - p > 15 && strncasecmp(p, "content-length:", 15) == 0) {
      size_t body = strtoul(p + 15, NULL, 10);
      return len >= head + body ? head + body : 0;
    }
    if (eol - p > 18 && strncasecmp(p, "transfer-encoding:", 18) == 0 && memmem(p, (size_t)(eol - p), "chunked", 7)) {
      const char *last = memmem(end, len - (size_t)(end - buf), "\r\n0\r\n\r\n", 7);
      return last ? (size_t)(last - buf) + 7 : 0;
    }
    p = eol + 2;
  }
  return head;  // no body
}

static int cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return x < y ? -1 : x > y;
}

int main(int argc, char **argv) {
  if (argc < 7) {
    fprintf(stderr, "usage: open-loop <host> <port> <path> <rate> <seconds> <connections> [\"Header: value\" ...]\n");
    return 2;
  }
  host = argv[1];
  port = atoi(argv[2]);
  const char *path = argv[3];
  double rate = atof(argv[4]);
  double seconds = atof(argv[5]);
  int nconn = atoi(argv[6]);
  const int closed = rate <= 0;
  // Open loop: exactly `total` requests. Closed loop: as many as fit in `seconds` (room for 200,000 per second).
  long total = closed ? (long)(seconds * 200000) : (long)(rate * seconds + 0.5);

  size_t cap = 512 + strlen(path) + strlen(host);
  for (int i = 7; i < argc; i++) cap += strlen(argv[i]) + 2;
  request = malloc(cap);
  int w = snprintf(request, cap, "GET %s HTTP/1.1\r\nHost: %s:%d\r\n", path, host, port);
  for (int i = 7; i < argc; i++) w += snprintf(request + w, cap - (size_t)w, "%s\r\n", argv[i]);
  w += snprintf(request + w, cap - (size_t)w, "\r\n");
  request_len = (size_t)w;

  int ep = epoll_create1(0);
  if (ep < 0) die("epoll_create1");
  conn_t *conns = calloc((size_t)nconn, sizeof *conns);
  for (int i = 0; i < nconn; i++) {
    conns[i].buf = malloc(BUF_SIZE);
    open_conn(ep, &conns[i]);
  }
  int tfd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK);
  struct epoll_event tev = {.events = EPOLLIN, .data.ptr = NULL};
  epoll_ctl(ep, EPOLL_CTL_ADD, tfd, &tev);

  latencies = malloc(sizeof(double) * (size_t)total);
  double *backlog = malloc(sizeof(double) * (size_t)(closed ? 1 : total));  // open loop: due times waiting for a connection
  long backlog_head = 0, backlog_tail = 0;
  long scheduled = 0;
  const double t0 = now_ms() + 20;
  const double t_end = t0 + seconds * 1e3;
  struct epoll_event events[256];
  int in_flight = 0;

  if (closed) {
    struct timespec start = {.tv_sec = (time_t)(t0 / 1e3), .tv_nsec = (long)((t0 - (time_t)(t0 / 1e3) * 1e3) * 1e6)};
    clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &start, NULL);
    for (int i = 0; i < nconn; i++)
      if (send_request(ep, &conns[i], now_ms()) == 0) in_flight++;
  }
  while (closed ? in_flight > 0 : completed < total) {
    double now = now_ms();
    while (!closed && scheduled < total && t0 + scheduled * 1000.0 / rate <= now) backlog[backlog_tail++] = t0 + (scheduled++) * 1000.0 / rate;
    for (int i = 0; i < nconn && backlog_head < backlog_tail; i++)
      if (!conns[i].busy) send_request(ep, &conns[i], backlog[backlog_head++]);
    if (!closed && scheduled < total) {
      double next = t0 + scheduled * 1000.0 / rate;
      struct itimerspec its = {0};
      its.it_value.tv_sec = (time_t)(next / 1e3);
      its.it_value.tv_nsec = (long)((next - its.it_value.tv_sec * 1e3) * 1e6);
      if (its.it_value.tv_sec == 0 && its.it_value.tv_nsec == 0) its.it_value.tv_nsec = 1;
      timerfd_settime(tfd, TFD_TIMER_ABSTIME, &its, NULL);
    }
    int n = epoll_wait(ep, events, 256, closed ? 10 : 1000);
    if (n < 0 && errno != EINTR) die("epoll_wait");
    for (int e = 0; e < n; e++) {
      conn_t *c = events[e].data.ptr;
      if (!c) {
        uint64_t expirations;
        if (read(tfd, &expirations, sizeof expirations) < 0 && errno != EAGAIN) die("read timerfd");
        continue;
      }
      ssize_t r = read(c->fd, c->buf + c->len, BUF_SIZE - c->len);
      if (r <= 0) {
        if (r < 0 && (errno == EAGAIN || errno == EINTR)) continue;
        int was_busy = c->busy;
        if (was_busy) {
          errors++;
          completed++;
        }
        reconnect(ep, c);
        if (closed && was_busy) {
          if (now_ms() >= t_end || send_request(ep, c, now_ms()) != 0) in_flight--;
        }
        continue;
      }
      c->len += (size_t)r;
      size_t whole = response_length(c->buf, c->len);
      if (!whole && c->len == BUF_SIZE) {
        fprintf(stderr, "open-loop: response larger than %d bytes\n", BUF_SIZE);
        return 2;
      }
      if (!whole || !c->busy) continue;
      int status = atoi(c->buf + 9);  // "HTTP/1.1 200"
      if (status < 200 || status > 299) non2xx++;
      double done = now_ms();
      c->busy = 0;
      c->len = 0;
      if (closed) {
        if (done <= t_end && completed - errors < total) latencies[completed++ - errors] = done - c->due;
        if (done >= t_end || send_request(ep, c, done) != 0) in_flight--;
        continue;
      }
      latencies[completed++ - errors] = done - c->due;
      if (backlog_head < backlog_tail) send_request(ep, c, backlog[backlog_head++]);
    }
  }
  double elapsed = closed ? seconds : (now_ms() - t0) / 1e3;
  long ok = completed - errors;
  qsort(latencies, (size_t)ok, sizeof(double), cmp_double);
#define AT(q) (ok ? latencies[(long)((q) * ok) < ok ? (long)((q) * ok) : ok - 1] : 0)
  printf("{\"rps\":%.1f,\"requests\":%ld,\"p50\":%.1f,\"p99\":%.1f,\"max\":%.1f,\"errors\":%ld,\"non2xx\":%ld}\n", ok / elapsed, ok, AT(0.5), AT(0.99), AT(1.0), errors, non2xx);
  return 0;
}
