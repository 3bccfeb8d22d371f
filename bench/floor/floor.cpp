// The machine floor for bench/engine.bench.ts: the same traffic (one 150-byte message per ~1 ms over
// loopback TCP, one 170-byte reply per message) handled by plain C++ with no Node/V8, timed at the same
// points as our engine. Whatever latency this shows is what the box (syscalls, thread wake-ups, the
// hypervisor) costs any engine; our figures are judged against it, not against the targets alone.
//
// Series (engine side), mirroring ours:
//   inline_wait  one thread: epoll_wait on the socket, read, scan, strategy called directly, write
//   inline_spin  one thread: recv(MSG_DONTWAIT) in a busy loop
//   worker_wait  I/O thread -> SPSC ring + futex -> strategy thread -> SPSC ring + eventfd (same epoll
//                set as the socket) -> I/O thread writes
//   worker_spin  the same two threads and rings, both busy-polling (no futex, no eventfd)
// The venue is two threads: a sender paced with clock_nanosleep (open loop) and a reader blocked in
// recv, so our write() pays for waking a reader on loopback exactly as it does against the fake venue.
//
// Output: a table on stderr, one JSON line on stdout. Bounded: ~3.3 s per series, an alarm() watchdog
// kills the run at --watchdog-s (default 20). Linux only; C++17 + pthreads, no other libraries.
#include <algorithm>
#include <atomic>
#include <cerrno>
#include <csignal>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <new>
#include <string>
#include <thread>
#include <vector>

#include <arpa/inet.h>
#include <fcntl.h>
#include <linux/futex.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "floor-parts.h"

namespace {

// ------------------------------------------------------------------ engine side

struct Engine {
  Config cfg;
  int fd = -1;          // engine end of the socket pair (non-blocking)
  int efd = -1;         // eventfd: strategy thread -> I/O thread (worker_wait)
  int64_t deadline = 0;
  std::atomic<bool> stop{false};
  std::atomic<uint32_t> ioWaiting{0};
  Ring* events = nullptr;    // I/O -> strategy
  Ring* commands = nullptr;  // strategy -> I/O
  uint8_t rbuf[1 << 16];
  int have = 0;
  uint32_t seen = 0;         // messages parsed by the I/O thread
  uint32_t written = 0;
  uint32_t writeStalls = 0;  // write() returned EAGAIN or a partial count (never expected)
  Template reply;  // the encoder: used by whichever thread runs the strategy
  Samples w2s, s2w, wr;
  Hiccup hicIo, hicStrategy;
  volatile uint32_t sink = 0;
};

inline void writeAll(Engine& e, const uint8_t* p, int len) {
  int off = 0;
  while (off < len) {
    ssize_t n = write(e.fd, p + off, len - off);
    if (n > 0) {
      off += int(n);
      if (off < len) e.writeStalls++;
    } else if (n < 0 && (errno == EAGAIN || errno == EINTR)) {
      e.writeStalls++;
    } else {
      e.stop.store(true);
      return;
    }
  }
  e.written++;
}

// Reads what the socket has; returns bytes read (0 = nothing, -1 = peer closed or error). `tRead` is
// taken right after read() returns, as SocketLink does in onread.
inline int readSome(Engine& e, int64_t& tRead) {
  if (e.have == int(sizeof e.rbuf)) e.have = 0;  // cannot happen with fixed 150-byte frames
  ssize_t n = recv(e.fd, e.rbuf + e.have, sizeof e.rbuf - e.have, MSG_DONTWAIT);
  tRead = nowNs();
  if (n > 0) return int(n);
  if (n == 0) return -1;
  return (errno == EAGAIN || errno == EINTR) ? 0 : -1;
}

// The inline strategy: timestamps its entry, builds the reply, and the thread writes it.
inline void strategyInline(Engine& e, const uint8_t* msg, int64_t tRead, bool record) {
  int64_t tS = nowNs();
  if (record) e.w2s.add(tS - tRead);
  (void)msg;
  int len = e.reply.stamp(e.seen);
  int64_t t0 = nowNs();
  writeAll(e, e.reply.buf, len);
  int64_t t1 = nowNs();
  if (record) {
    e.s2w.add(t1 - tS);
    e.wr.add(t1 - t0);
  }
}

// Frames complete messages out of rbuf and hands each to `onMessage` (inline strategy or the ring).
template <typename F>
inline void frame(Engine& e, int n, int64_t tRead, F onMessage) {
  e.have += n;
  int off = 0;
  while (e.have - off >= kMdLen) {
    const uint8_t* m = e.rbuf + off;
    e.sink += scanMessage(m, kMdLen);
    bool record = e.seen >= uint32_t(e.cfg.warmup);
    onMessage(m, tRead, record);
    e.seen++;
    off += kMdLen;
  }
  if (off > 0) {
    std::memmove(e.rbuf, e.rbuf + off, e.have - off);
    e.have -= off;
  }
}

// The socket (data.u32 0) and, when efd >= 0, the command eventfd (data.u32 1) in one epoll set.
int epollOn(int fd, int efd) {
  int ep = epoll_create1(EPOLL_CLOEXEC);
  epoll_event ev{};
  ev.events = EPOLLIN;
  ev.data.u32 = 0;
  epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev);
  if (efd >= 0) {
    ev.data.u32 = 1;
    epoll_ctl(ep, EPOLL_CTL_ADD, efd, &ev);
  }
  return ep;
}

void runInline(Engine& e, bool spin) {
  int ep = spin ? -1 : epollOn(e.fd, -1);
  epoll_event evs[4];
  auto onMessage = [&e](const uint8_t* m, int64_t t, bool rec) { strategyInline(e, m, t, rec); };
  bool prevIdle = false;
  for (uint64_t it = 0; !e.stop.load(std::memory_order_relaxed); it++) {
    if (spin) {
      e.hicIo.tick(nowNs(), prevIdle, e.seen >= uint32_t(e.cfg.warmup));
    } else {
      int r = epoll_wait(ep, evs, 4, 50);
      if (r <= 0) {
        if (nowNs() > e.deadline) break;
        continue;
      }
    }
    int64_t tRead;
    int n = readSome(e, tRead);
    if (n < 0) break;
    prevIdle = n == 0;
    if (n > 0) frame(e, n, tRead, onMessage);
    if ((it & 1023) == 0 && nowNs() > e.deadline) break;
  }
  e.stop.store(true);
  if (ep >= 0) close(ep);
}

// -------------------------------------------------------------- worker mode

inline void wakeStrategy(Engine& e) {
  Ring* r = e.events;
  r->seq.fetch_add(1, std::memory_order_relaxed);
  std::atomic_thread_fence(std::memory_order_seq_cst);
  if (r->waiting.load(std::memory_order_relaxed)) futexWake(&r->seq);
}

void strategyThread(Engine& e, bool spin) {
  Ring* ev = e.events;
  Ring* cmd = e.commands;
  bool prevIdle = false;
  while (true) {
    if (spin) e.hicStrategy.tick(nowNs(), prevIdle, e.seen >= uint32_t(e.cfg.warmup));
    Slot* s = ev->front();
    if (s != nullptr) {
      int64_t tS = nowNs();
      if (s->record) e.w2s.add(tS - s->t0);
      Slot* c = cmd->claim();
      if (c != nullptr) {
        c->t0 = nowNs();  // command enqueue time: s2w starts here
        c->record = s->record;
        c->len = uint32_t(e.reply.stamp(s->index));
        std::memcpy(c->data, e.reply.buf, c->len);
        cmd->publish();
      }
      ev->pop();
      if (!spin) {
        std::atomic_thread_fence(std::memory_order_seq_cst);
        if (e.ioWaiting.load(std::memory_order_relaxed)) {
          uint64_t one = 1;
          ssize_t w = write(e.efd, &one, 8);
          (void)w;
        }
      }
      prevIdle = false;
      continue;
    }
    prevIdle = true;
    if (e.stop.load(std::memory_order_relaxed)) break;
    if (spin) {
      cpuRelax();
      continue;
    }
    ev->waiting.store(1, std::memory_order_relaxed);
    std::atomic_thread_fence(std::memory_order_seq_cst);
    uint32_t v = ev->seq.load(std::memory_order_relaxed);
    if (ev->empty() && !e.stop.load()) futexWait(&ev->seq, v, 50'000'000);
    ev->waiting.store(0, std::memory_order_relaxed);
  }
}

// Writes every queued command; returns how many.
inline int drainCommands(Engine& e) {
  int n = 0;
  Ring* cmd = e.commands;
  for (Slot* c; (c = cmd->front()) != nullptr; cmd->pop()) {
    int64_t t0 = nowNs();
    writeAll(e, c->data, int(c->len));
    int64_t t1 = nowNs();
    if (c->record) {
      e.s2w.add(t1 - c->t0);
      e.wr.add(t1 - t0);
    }
    n++;
  }
  return n;
}

void ioThread(Engine& e, bool spin) {
  int ep = spin ? -1 : epollOn(e.fd, e.efd);
  epoll_event evs[4];
  auto onMessage = [&e, spin](const uint8_t* m, int64_t t, bool rec) {
    Slot* s = e.events->claim();
    if (s == nullptr) return;  // ring full: the strategy is far behind (never at 1 msg/ms)
    s->t0 = t;
    s->record = rec;
    s->index = e.seen;
    s->len = kMdLen;
    std::memcpy(s->data, m, kMdLen);
    e.events->publish();
    if (!spin) wakeStrategy(e);
  };
  bool prevIdle = false;
  for (uint64_t it = 0; !e.stop.load(std::memory_order_relaxed); it++) {
    bool socketReady = true;
    if (spin) {
      e.hicIo.tick(nowNs(), prevIdle, e.seen >= uint32_t(e.cfg.warmup));
    } else {
      e.ioWaiting.store(1, std::memory_order_relaxed);
      std::atomic_thread_fence(std::memory_order_seq_cst);
      if (!e.commands->empty()) {
        e.ioWaiting.store(0, std::memory_order_relaxed);
        drainCommands(e);
        continue;
      }
      int r = epoll_wait(ep, evs, 4, 50);
      e.ioWaiting.store(0, std::memory_order_relaxed);
      socketReady = false;
      for (int i = 0; i < r; i++) {
        if (evs[i].data.u32 == 1) {
          uint64_t v;
          ssize_t got = read(e.efd, &v, 8);
          (void)got;
        } else {
          socketReady = true;
        }
      }
      if (r <= 0 && nowNs() > e.deadline) break;
    }
    int n = 0;
    if (socketReady) {
      int64_t tRead;
      n = readSome(e, tRead);
      if (n < 0) break;
      if (n > 0) frame(e, n, tRead, onMessage);
    }
    int c = drainCommands(e);
    prevIdle = n == 0 && c == 0;
    if ((it & 1023) == 0 && nowNs() > e.deadline) break;
  }
  e.stop.store(true);
  if (!spin) wakeStrategy(e);
  if (ep >= 0) close(ep);
}

// ------------------------------------------------------------------- venue

struct Venue {
  int fd = -1;
  int total = 0;
  int64_t intervalNs = 1'000'000;
  int sent = 0;
  int late = 0;  // deadlines missed by more than one interval (the sender re-anchors, no burst)
  uint64_t bytesBack = 0;
};

void venueSender(Venue& v) {
  prctl(PR_SET_TIMERSLACK, 1UL);  // default 50 µs slack would blur the 1 ms pacing
  Template md;
  md.init(kMdFields, kMdLen);
  int64_t next = nowNs() + v.intervalNs;
  for (int i = 0; i < v.total; i++) {
    timespec ts{time_t(next / 1'000'000'000), long(next % 1'000'000'000)};
    while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, nullptr) == EINTR) {
    }
    md.stamp(uint32_t(i + 1));
    int off = 0;
    while (off < md.len) {
      ssize_t n = send(v.fd, md.buf + off, size_t(md.len - off), MSG_NOSIGNAL);
      if (n <= 0) {
        if (n < 0 && errno == EINTR) continue;
        return;  // the engine side is gone (deadline): stop sending
      }
      off += int(n);
    }
    v.sent++;
    next += v.intervalNs;
    int64_t t = nowNs();
    if (t > next + v.intervalNs) {
      v.late++;
      next = t + v.intervalNs;
    }
  }
  timespec pause{0, 30'000'000};  // let the last replies come back before EOF
  nanosleep(&pause, nullptr);
  shutdown(v.fd, SHUT_WR);
}

void venueReader(Venue& v) {
  static thread_local uint8_t buf[1 << 16];
  for (;;) {
    ssize_t n = recv(v.fd, buf, sizeof buf, 0);
    if (n > 0) {
      v.bytesBack += uint64_t(n);
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    return;
  }
}

// ------------------------------------------------------------------ series

SeriesResult runSeries(const Config& cfg, Mode mode) {
  SeriesResult res;
  res.mode = mode;
  int venueFd, engineFd;
  std::string err;
  if (!socketPair(venueFd, engineFd, err)) {
    res.error = err;
    return res;
  }
  auto* e = new Engine();
  e->cfg = cfg;
  e->fd = engineFd;
  e->reply.init(kCmdFields, kCmdLen);
  const size_t cap = size_t(cfg.count) + 16;
  e->w2s.reserve(cap);
  e->s2w.reserve(cap);
  e->wr.reserve(cap);
  e->hicIo.windows.reserve(size_t(cfg.count) * 2 + 64);
  e->hicStrategy.windows.reserve(size_t(cfg.count) * 2 + 64);
  bool worker = mode == Mode::WorkerWait || mode == Mode::WorkerSpin;
  bool spin = mode == Mode::InlineSpin || mode == Mode::WorkerSpin;
  if (worker) {
    e->events = Ring::create();
    e->commands = Ring::create();
    e->efd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    if (e->events == nullptr || e->commands == nullptr || e->efd < 0) {
      res.error = std::string("mmap/eventfd: ") + std::strerror(errno);
      return res;  // the process exits on a failed series: nothing to clean up
    }
  }
  Venue v;
  v.fd = venueFd;
  v.total = cfg.warmup + cfg.count;
  v.intervalNs = int64_t(cfg.intervalUs) * 1000;
  int64_t t0 = nowNs();
  e->deadline = t0 + int64_t(v.total) * v.intervalNs + 2'000'000'000LL;
  double steal0 = stealMs();

  std::thread strategy;
  std::thread io;
  if (worker) {
    strategy = std::thread(strategyThread, std::ref(*e), spin);
    io = std::thread(ioThread, std::ref(*e), spin);
  } else {
    io = std::thread(runInline, std::ref(*e), spin);
  }
  std::thread reader(venueReader, std::ref(v));
  std::thread sender(venueSender, std::ref(v));
  io.join();
  if (strategy.joinable()) strategy.join();
  close(engineFd);  // the reader sees EOF; an unfinished sender gets EPIPE
  sender.join();
  reader.join();
  close(venueFd);

  res.seconds = double(nowNs() - t0) / 1e9;
  res.stealMs = stealMs() - steal0;
  res.sent = v.sent;
  res.late = v.late;
  res.seen = e->seen;
  res.written = e->written;
  res.writeStalls = e->writeStalls;
  res.w2s = percentiles(e->w2s.v);
  res.s2w = percentiles(e->s2w.v);
  res.write = percentiles(e->wr.v);
  if (spin) res.hiccupIo = percentiles(e->hicIo.windows.v);
  if (mode == Mode::WorkerSpin) res.hiccupStrategy = percentiles(e->hicStrategy.windows.v);
  if (e->efd >= 0) close(e->efd);
  Ring::destroy(e->events);
  Ring::destroy(e->commands);
  delete e;
  return res;
}

extern "C" void onAlarm(int) {
  static const char msg[] = "floor: watchdog expired, exiting\n";
  ssize_t w = write(2, msg, sizeof msg - 1);
  (void)w;
  _exit(3);
}

}  // namespace

int main(int argc, char** argv) {
  Config cfg;
  std::string err;
  if (!parseArgs(argc, argv, cfg, err)) {
    std::fprintf(stderr, "floor: %s\n%s", err.c_str(), kUsage);
    return 2;
  }
  if (cfg.help) {
    std::fputs(kUsage, stdout);
    return 0;
  }
  Template md, cmd;
  md.init(kMdFields, kMdLen);
  cmd.init(kCmdFields, kCmdLen);
  if (md.len != kMdLen || cmd.len != kCmdLen) {
    std::fprintf(stderr, "floor: message templates are %d/%d bytes, expected %d/%d\n", md.len, cmd.len, kMdLen, kCmdLen);
    return 1;
  }
  std::signal(SIGALRM, onAlarm);
  alarm(unsigned(cfg.watchdogS));
  std::signal(SIGPIPE, SIG_IGN);

  std::vector<SeriesResult> results;
  for (Mode m : cfg.modes) {
    SeriesResult r = runSeries(cfg, m);
    if (!r.error.empty()) {
      std::fprintf(stderr, "floor: series %s failed: %s\n", modeName(m), r.error.c_str());
      return 1;
    }
    results.push_back(r);
  }
  printTable(stderr, cfg, results);
  printJson(stdout, cfg, results);
  return 0;
}
