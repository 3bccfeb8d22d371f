// Pieces of floor.cpp that are not the timed path's control flow: clocks and futexes, the SPSC ring,
// sample sets and percentiles, the FIX-shaped message templates, argument parsing and the output.
#pragma once

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <new>
#include <string>
#include <vector>

#include <arpa/inet.h>
#include <fcntl.h>
#include <linux/futex.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

namespace {

constexpr int kMdLen = 150;   // MarketDataIncrementalRefresh, as the fake venue sends (~150 bytes)
constexpr int kCmdLen = 170;  // NewOrderSingle / cancel, as the hot path encodes (~170 bytes)

inline int64_t nowNs() {
  timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return int64_t(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
}

inline void cpuRelax() {
#if defined(__x86_64__) || defined(__i386__)
  __builtin_ia32_pause();
#endif
}

inline void futexWait(std::atomic<uint32_t>* word, uint32_t expected, long timeoutNs) {
  timespec ts{time_t(timeoutNs / 1'000'000'000), timeoutNs % 1'000'000'000};
  syscall(SYS_futex, reinterpret_cast<uint32_t*>(word), FUTEX_WAIT_PRIVATE, expected, &ts, nullptr, 0);
}

inline void futexWake(std::atomic<uint32_t>* word) {
  syscall(SYS_futex, reinterpret_cast<uint32_t*>(word), FUTEX_WAKE_PRIVATE, 1, nullptr, nullptr, 0);
}

// ------------------------------------------------------------------ config

enum class Mode { InlineWait, InlineSpin, WorkerWait, WorkerSpin };

inline const char* modeName(Mode m) {
  switch (m) {
    case Mode::InlineWait: return "inline_wait";
    case Mode::InlineSpin: return "inline_spin";
    case Mode::WorkerWait: return "worker_wait";
    case Mode::WorkerSpin: return "worker_spin";
  }
  return "?";
}

struct Config {
  int count = 3000;  // recorded messages per series (after the warm-up)
  int warmup = 300;
  int intervalUs = 1000;
  int watchdogS = 20;
  bool help = false;
  std::vector<Mode> modes{Mode::InlineWait, Mode::InlineSpin, Mode::WorkerWait, Mode::WorkerSpin};
};

const char* const kUsage =
    "usage: floor [--count N] [--warmup N] [--interval-us N] [--series a,b,...] [--watchdog-s N]\n"
    "  --count        recorded messages per series (default 3000)\n"
    "  --warmup       discarded messages at the start of each series (default 300)\n"
    "  --interval-us  venue send interval (default 1000)\n"
    "  --series       any of inline_wait,inline_spin,worker_wait,worker_spin (default: all)\n"
    "  --watchdog-s   hard limit for the whole run (default 20)\n";

inline bool parseInt(const char* s, int lo, int hi, int& out) {
  char* end = nullptr;
  errno = 0;
  long v = std::strtol(s, &end, 10);
  if (errno != 0 || end == s || *end != '\0' || v < lo || v > hi) return false;
  out = int(v);
  return true;
}

inline bool parseArgs(int argc, char** argv, Config& cfg, std::string& err) {
  for (int i = 1; i < argc; i++) {
    std::string a = argv[i];
    if (a == "--help" || a == "-h") {
      cfg.help = true;
      return true;
    }
    if (i + 1 >= argc) {
      err = a.rfind("--", 0) == 0 ? a + " needs a value" : "unexpected argument '" + a + "'";
      return false;
    }
    const char* v = argv[++i];
    struct Bound { const char* name; int* dst; int lo, hi; } bounds[] = {
        {"--count", &cfg.count, 10, 1'000'000},
        {"--warmup", &cfg.warmup, 0, 100'000},
        {"--interval-us", &cfg.intervalUs, 50, 1'000'000},
        {"--watchdog-s", &cfg.watchdogS, 1, 3600},
    };
    bool matched = false;
    for (auto& b : bounds) {
      if (a != b.name) continue;
      matched = true;
      if (!parseInt(v, b.lo, b.hi, *b.dst)) {
        err = a + " needs an integer in [" + std::to_string(b.lo) + ", " + std::to_string(b.hi) + "], got '" + v + "'";
        return false;
      }
    }
    if (matched) continue;
    if (a == "--series") {
      cfg.modes.clear();
      std::string list = v;
      size_t pos = 0;
      while (pos <= list.size()) {
        size_t comma = list.find(',', pos);
        std::string name = list.substr(pos, comma == std::string::npos ? std::string::npos : comma - pos);
        bool found = false;
        for (Mode m : {Mode::InlineWait, Mode::InlineSpin, Mode::WorkerWait, Mode::WorkerSpin}) {
          if (name == modeName(m)) {
            cfg.modes.push_back(m);
            found = true;
          }
        }
        if (!found) {
          err = "unknown series '" + name + "' (inline_wait, inline_spin, worker_wait, worker_spin)";
          return false;
        }
        if (comma == std::string::npos) break;
        pos = comma + 1;
      }
      continue;
    }
    err = "unknown option '" + a + "'";
    return false;
  }
  double planned = double(cfg.count + cfg.warmup) * cfg.intervalUs / 1e6 * double(cfg.modes.size());
  if (planned + 0.5 * double(cfg.modes.size()) > cfg.watchdogS) {  // ~50 ms of set-up and drain per series
    char buf[160];
    std::snprintf(buf, sizeof buf, "the series need about %.1f s, more than --watchdog-s %d; lower --count or raise the watchdog", planned, cfg.watchdogS);
    err = buf;
    return false;
  }
  return true;
}

// ------------------------------------------------------------------ rings

// One SPSC slot: a market-data event (I/O -> strategy) or an encoded command (strategy -> I/O).
struct alignas(64) Slot {
  int64_t t0;       // tRead for events, command enqueue time for commands
  uint32_t index;
  uint32_t len;
  bool record;      // past the warm-up
  uint8_t data[192];
};

// Single-producer single-consumer ring in a MAP_SHARED mapping (the SharedArrayBuffer of our engine).
// `seq` is the futex word the producer bumps; `waiting` says the consumer may be asleep on it.
struct Ring {
  static constexpr uint64_t kSize = 1024;
  alignas(64) std::atomic<uint64_t> head{0};
  alignas(64) std::atomic<uint64_t> tail{0};
  alignas(64) std::atomic<uint32_t> seq{0};
  std::atomic<uint32_t> waiting{0};
  alignas(64) Slot slots[kSize];

  static Ring* create() {
    void* p = mmap(nullptr, sizeof(Ring), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    return p == MAP_FAILED ? nullptr : new (p) Ring();
  }
  static void destroy(Ring* r) {
    if (r == nullptr) return;
    r->~Ring();
    munmap(r, sizeof(Ring));
  }
  Slot* claim() {
    uint64_t h = head.load(std::memory_order_relaxed);
    return h - tail.load(std::memory_order_acquire) >= kSize ? nullptr : &slots[h & (kSize - 1)];
  }
  void publish() { head.store(head.load(std::memory_order_relaxed) + 1, std::memory_order_release); }
  Slot* front() {
    uint64_t t = tail.load(std::memory_order_relaxed);
    return t == head.load(std::memory_order_acquire) ? nullptr : &slots[t & (kSize - 1)];
  }
  void pop() { tail.store(tail.load(std::memory_order_relaxed) + 1, std::memory_order_release); }
  bool empty() { return tail.load(std::memory_order_relaxed) == head.load(std::memory_order_acquire); }
};

// ------------------------------------------------------------------ samples

// Preallocated; add() never reallocates on the timed path (extra samples are dropped).
struct Samples {
  std::vector<int64_t> v;
  void reserve(size_t n) { v.reserve(n); }
  void add(int64_t ns) {
    if (v.size() < v.capacity()) v.push_back(ns);
  }
};

// Longest gap between consecutive idle iterations of a busy loop, per 1 ms window: when the loop does
// nothing but poll, a gap is time the core was taken away (another thread, an interrupt, the hypervisor).
struct Hiccup {
  int64_t windowStart = 0;
  int64_t prev = 0;
  int64_t maxGap = 0;
  Samples windows;
  void tick(int64_t t, bool prevIdle, bool armed) {
    if (prevIdle && prev != 0 && t - prev > maxGap) maxGap = t - prev;
    prev = t;
    if (t - windowStart >= 1'000'000) {
      if (armed && windowStart != 0) windows.add(maxGap);
      maxGap = 0;
      windowStart = t;
    }
  }
};

struct Pct {
  size_t count = 0;
  double p50 = 0, p90 = 0, p99 = 0, p999 = 0, max = 0;  // µs
};

inline Pct percentiles(std::vector<int64_t>& v) {
  Pct p;
  p.count = v.size();
  if (v.empty()) return p;
  std::sort(v.begin(), v.end());
  auto at = [&v](double q) {
    size_t rank = size_t(std::ceil(q * double(v.size())));
    return double(v[std::min(v.size() - 1, rank == 0 ? 0 : rank - 1)]) / 1000.0;
  };
  p.p50 = at(0.50);
  p.p90 = at(0.90);
  p.p99 = at(0.99);
  p.p999 = at(0.999);
  p.max = double(v.back()) / 1000.0;
  return p;
}

// ------------------------------------------------------------------ messages

// A FIX-shaped message of an exact length: BodyLength and CheckSum are real, a Text(58) filler pads it.
// stamp() writes the sequence number (34=, and 11= ClOrdID when present) and the checksum: the
// "encode" the strategy side does per reply.
struct Template {
  uint8_t buf[256];
  int len = 0;
  int seqOff = -1;
  int idOff = -1;

  void init(const char* bodyFields, int total) {
    std::string body = bodyFields;
    for (char& c : body) if (c == '|') c = '\x01';
    // 8=FIX.4.4|9=NNN| + body + 58=<fill>| + 10=NNN|
    const int headerLen = 16, trailerLen = 7, fillOverhead = 4;
    int fill = total - headerLen - trailerLen - fillOverhead - int(body.size());
    if (fill < 0) fill = 0;
    body += "58=" + std::string(size_t(fill), 'x') + "\x01";
    char head[32];
    std::snprintf(head, sizeof head, "8=FIX.4.4\x01" "9=%03d\x01", int(body.size()));
    std::string msg = std::string(head) + body + "10=000\x01";
    len = int(std::min(msg.size(), sizeof buf));
    std::memcpy(buf, msg.data(), size_t(len));
    size_t s = msg.find("\x01" "34=");
    size_t id = msg.find("\x01" "11=");
    seqOff = s == std::string::npos ? -1 : int(s + 4);
    idOff = id == std::string::npos ? -1 : int(id + 4);
  }

  int stamp(uint32_t seq) {
    if (seqOff >= 0) digits(buf + seqOff, seq);
    if (idOff >= 0) digits(buf + idOff, seq);
    uint32_t sum = 0;
    for (int i = 0; i < len - 7; i++) sum += buf[i];
    sum &= 0xff;
    buf[len - 4] = uint8_t('0' + sum / 100);
    buf[len - 3] = uint8_t('0' + sum / 10 % 10);
    buf[len - 2] = uint8_t('0' + sum % 10);
    return len;
  }

  static void digits(uint8_t* p, uint32_t v) {
    for (int i = 7; i >= 0; i--, v /= 10) p[i] = uint8_t('0' + v % 10);
  }
};

const char* const kMdFields =
    "35=X|34=00000000|49=VENUE|56=BENCH|52=20250101-00:00:00.000|262=1|268=1|279=1|269=0|55=XBT/USD|"
    "270=299990.0|271=0.12345678|";
const char* const kCmdFields =
    "35=D|34=00000000|49=BENCH|56=VENUE|52=20250101-00:00:00.000|11=00000000|55=XBT/USD|54=1|"
    "38=0.0001|40=2|44=299990.0|60=20250101-00:00:00.000|";

// The parse stand-in: touch every byte, note where fields end.
inline uint32_t scanMessage(const uint8_t* p, int n) {
  uint16_t soh[64];
  int k = 0;
  uint32_t sum = 0;
  for (int i = 0; i < n; i++) {
    sum += p[i];
    if (p[i] == 1 && k < 64) soh[k++] = uint16_t(i);
  }
  return sum + uint32_t(k) + (k > 0 ? soh[k - 1] : 0);
}

// ------------------------------------------------------------------ OS bits

// A connected 127.0.0.1 pair on an ephemeral port, TCP_NODELAY on both ends; the engine end is
// non-blocking (as libuv's), the venue end blocking.
inline bool socketPair(int& venueFd, int& engineFd, std::string& err) {
  int lfd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t alen = sizeof a;
  if (lfd < 0 || bind(lfd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 || listen(lfd, 1) != 0 ||
      getsockname(lfd, reinterpret_cast<sockaddr*>(&a), &alen) != 0) {
    err = std::string("listen on 127.0.0.1: ") + std::strerror(errno);
    if (lfd >= 0) close(lfd);
    return false;
  }
  int cfd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (cfd < 0 || connect(cfd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) {
    err = std::string("connect to 127.0.0.1: ") + std::strerror(errno);
    close(lfd);
    if (cfd >= 0) close(cfd);
    return false;
  }
  int afd = accept4(lfd, nullptr, nullptr, SOCK_CLOEXEC);
  close(lfd);
  if (afd < 0) {
    err = std::string("accept: ") + std::strerror(errno);
    close(cfd);
    return false;
  }
  int one = 1;
  setsockopt(cfd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  setsockopt(afd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  fcntl(cfd, F_SETFL, fcntl(cfd, F_GETFL) | O_NONBLOCK);
  venueFd = afd;
  engineFd = cfd;
  return true;
}

// Steal time of the whole machine so far (ms, all CPUs), from /proc/stat; NaN when unavailable.
inline double stealMs() {
  FILE* f = std::fopen("/proc/stat", "r");
  if (f == nullptr) return NAN;
  unsigned long long v[8] = {0};
  int got = std::fscanf(f, "cpu %llu %llu %llu %llu %llu %llu %llu %llu", &v[0], &v[1], &v[2], &v[3], &v[4], &v[5], &v[6], &v[7]);
  std::fclose(f);
  long hz = sysconf(_SC_CLK_TCK);
  return got == 8 && hz > 0 ? double(v[7]) * 1000.0 / double(hz) : NAN;
}

// ------------------------------------------------------------------ output

struct SeriesResult {
  Mode mode = Mode::InlineWait;
  std::string error;
  double seconds = 0;
  double stealMs = NAN;
  int sent = 0, late = 0;
  uint32_t seen = 0, written = 0, writeStalls = 0;
  Pct w2s, s2w, write, hiccupIo, hiccupStrategy;
};

inline void printTable(FILE* out, const Config& cfg, const std::vector<SeriesResult>& rs) {
  std::fprintf(out, "machine floor (C++, no Node/V8), µs: %d messages per series after %d warm-up, one per %d µs, %d B in, %d B out, 127.0.0.1\n",
               cfg.count, cfg.warmup, cfg.intervalUs, kMdLen, kCmdLen);
  std::fprintf(out, "%-34s %6s %8s %8s %8s %8s %9s\n", "series / interval", "n", "p50", "p90", "p99", "p99.9", "max");
  auto row = [out](const char* series, const char* name, const Pct& p) {
    std::string label = std::string(series) + " " + name;
    std::fprintf(out, "%-34s %6zu %8.2f %8.2f %8.2f %8.2f %9.1f\n", label.c_str(), p.count, p.p50, p.p90, p.p99, p.p999, p.max);
  };
  for (const auto& r : rs) {
    const char* s = modeName(r.mode);
    row(s, "wire->strategy", r.w2s);
    row(s, "strategy->wire", r.s2w);
    row(s, "write() alone", r.write);
    if (r.hiccupIo.count > 0) row(s, r.mode == Mode::WorkerSpin ? "hiccup, I/O thread" : "hiccup", r.hiccupIo);
    if (r.hiccupStrategy.count > 0) row(s, "hiccup, strategy thread", r.hiccupStrategy);
  }
  for (const auto& r : rs) {
    std::fprintf(out, "%s: %.2f s, %d sent (%d late sends), %u parsed, %u written, %u write stalls, machine steal %.0f ms\n",
                 modeName(r.mode), r.seconds, r.sent, r.late, r.seen, r.written, r.writeStalls, r.stealMs);
  }
  std::fprintf(out, "hiccup = longest gap between idle iterations of a busy loop per 1 ms window (the core taken away)\n");
}

inline void printJson(FILE* out, const Config& cfg, const std::vector<SeriesResult>& rs) {
  std::string s = "{";
  char buf[160];
  auto put = [&s, &buf](const std::string& key, double v) {
    if (!std::isfinite(v)) return;
    std::snprintf(buf, sizeof buf, "%s\"%s\":%.3f", s.size() > 1 ? "," : "", key.c_str(), std::round(v * 1000.0) / 1000.0);
    s += buf;
  };
  auto pct = [&put](const std::string& prefix, const Pct& p, bool withMid) {
    put(prefix + "_count", double(p.count));
    put(prefix + "_p50_us", p.p50);
    if (withMid) put(prefix + "_p90_us", p.p90);
    put(prefix + "_p99_us", p.p99);
    if (withMid) put(prefix + "_p999_us", p.p999);
    put(prefix + "_max_us", p.max);
  };
  put("floor_count", cfg.count);
  put("floor_warmup", cfg.warmup);
  put("floor_interval_us", cfg.intervalUs);
  for (const auto& r : rs) {
    std::string k = std::string("floor_") + modeName(r.mode);
    pct(k + "_w2s", r.w2s, true);
    pct(k + "_s2w", r.s2w, true);
    pct(k + "_write", r.write, true);
    if (r.hiccupIo.count > 0) pct(k + "_hiccup", r.hiccupIo, false);
    if (r.hiccupStrategy.count > 0) pct(k + "_hiccup_strategy", r.hiccupStrategy, false);
    put(k + "_steal_ms", r.stealMs);
    put(k + "_late_sends", r.late);
    put(k + "_write_stalls", r.writeStalls);
  }
  s += "}\n";
  std::fputs(s.c_str(), out);
  std::fflush(out);
}

}  // namespace
