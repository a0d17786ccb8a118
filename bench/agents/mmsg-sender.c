/*
 * A paced UDP sender for the benchmark, so that the receiver is what is
 * measured: datagrams go out in batches of up to 64 per sendmmsg(2).
 *
 *   mmsg-sender PORT RATE DURATION_MS WARMUP_MS STREAMS TEMPLATE_FILE
 *
 * TEMPLATE_FILE holds datagrams, each a 4-byte big-endian length then its
 * bytes. With STREAMS > 0 they are framed and sequenced: datagram i is sent
 * on stream i % STREAMS (the template's stream id with its last byte xored
 * with the stream number) with the next seq of that stream. With STREAMS 0
 * they are sent as they are. RATE datagrams per second after WARMUP_MS at
 * half the rate. Prints one JSON line: attempted, sent, errors, seconds and
 * the rate achieved after the warm-up.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define BATCH 64
#define MAX_TEMPLATES 256
#define MAX_STREAMS 4096
#define STREAM_OFFSET 3
#define SEQ_OFFSET 11

static double now_ms(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

static unsigned char *templates[MAX_TEMPLATES];
static size_t lengths[MAX_TEMPLATES];
static int count;

static void load(const char *path) {
  FILE *f = fopen(path, "rb");
  if (!f) { perror(path); exit(2); }
  unsigned char head[4];
  while (count < MAX_TEMPLATES && fread(head, 1, 4, f) == 4) {
    size_t n = ((size_t)head[0] << 24) | (head[1] << 16) | (head[2] << 8) | head[3];
    templates[count] = malloc(n);
    if (fread(templates[count], 1, n, f) != n) { fprintf(stderr, "short template\n"); exit(2); }
    lengths[count++] = n;
  }
  fclose(f);
  if (count == 0) { fprintf(stderr, "no template\n"); exit(2); }
}

int main(int argc, char **argv) {
  if (argc != 7) { fprintf(stderr, "usage: %s PORT RATE DURATION_MS WARMUP_MS STREAMS FILE\n", argv[0]); return 2; }
  int port = atoi(argv[1]);
  double rate = atof(argv[2]), duration = atof(argv[3]), warmup = atof(argv[4]);
  int streams = atoi(argv[5]);
  if (streams > MAX_STREAMS) streams = MAX_STREAMS;
  load(argv[6]);
  int fd = socket(AF_INET, SOCK_DGRAM, 0);
  struct sockaddr_in to = { .sin_family = AF_INET, .sin_port = htons(port) };
  inet_pton(AF_INET, "127.0.0.1", &to.sin_addr);
  if (connect(fd, (struct sockaddr *)&to, sizeof to) != 0) { perror("connect"); return 1; }
  static unsigned char bufs[BATCH][65536];
  static uint32_t seqs[MAX_STREAMS];
  struct mmsghdr msgs[BATCH];
  struct iovec iov[BATCH];
  long long attempted = 0, sent = 0, errors = 0, warm_sent = -1;
  double start = now_ms(), warm_at = start;
  double total = warmup + duration;
  for (;;) {
    double elapsed = now_ms() - start;
    if (elapsed >= total) break;
    if (warm_sent < 0 && elapsed >= warmup) { warm_sent = sent; warm_at = now_ms(); }
    double w = elapsed < warmup ? elapsed : warmup;
    double full = elapsed > warmup ? elapsed - warmup : 0;
    long long due = (long long)((w / 2 + full) / 1000 * rate);
    if (attempted >= due) { struct timespec s = { 0, 50000 }; nanosleep(&s, NULL); continue; }
    int n = due - attempted > BATCH ? BATCH : (int)(due - attempted);
    for (int i = 0; i < n; i++) {
      long long k = attempted + i;
      int t = (int)(k % count);
      memcpy(bufs[i], templates[t], lengths[t]);
      if (streams > 0) {
        int s = (int)(k % streams);
        bufs[i][STREAM_OFFSET + 7] ^= (unsigned char)s;
        bufs[i][STREAM_OFFSET + 6] ^= (unsigned char)(s >> 8);
        uint32_t seq = htonl(seqs[s]++);
        memcpy(bufs[i] + SEQ_OFFSET, &seq, 4);
      }
      iov[i].iov_base = bufs[i];
      iov[i].iov_len = lengths[t];
      memset(&msgs[i].msg_hdr, 0, sizeof msgs[i].msg_hdr);
      msgs[i].msg_hdr.msg_iov = &iov[i];
      msgs[i].msg_hdr.msg_iovlen = 1;
    }
    int done = sendmmsg(fd, msgs, n, 0);
    if (done < 0) { errors += n; done = 0; }
    else if (done < n) errors += n - done;
    sent += done;
    attempted += n;
  }
  double end = now_ms();
  if (warm_sent < 0) { warm_sent = 0; warm_at = start; }
  double measured = (end - warm_at) / 1000;
  printf("{\"attempted\":%lld,\"sent\":%lld,\"errors\":%lld,\"seconds\":%.3f,\"rate\":%.1f}\n",
         attempted, sent, errors, (end - start) / 1000, measured > 0 ? (sent - warm_sent) / measured : 0);
  return 0;
}
