// Shared plumbing for the QuickFIX C++ peers (test-only programs, never linked into kfix).
//
// Why this exists:
//  * QuickFIX 1.15.1's SocketAcceptor binds INADDR_ANY and has no setting to change it; the
//    project rule is that everything we start binds 127.0.0.1 only. We interpose bind() (the
//    executable's definition wins over libc's for calls made from libquickfix.so) and rewrite
//    the wildcard address to loopback. It also remembers the bound fd so `--port 0` can report
//    the ephemeral port the kernel chose.
//  * Every peer must stop by itself: stdin EOF, a --max-seconds deadline, SIGINT/SIGTERM.
//
// Include this header in exactly one translation unit per program (each peer is one .cpp).
#pragma once

#include <arpa/inet.h>
#include <dlfcn.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <climits>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

static std::atomic<int> g_lastBoundFd{-1};

extern "C" int bind(int fd, const struct sockaddr* addr, socklen_t len) __THROW
{
  typedef int (*BindFn)(int, const struct sockaddr*, socklen_t);
  static BindFn realBind = (BindFn)dlsym(RTLD_NEXT, "bind");
  if (realBind == nullptr) { errno = ENOSYS; return -1; }
  if (addr != nullptr && addr->sa_family == AF_INET && len >= (socklen_t)sizeof(sockaddr_in))
  {
    sockaddr_in loopback;
    std::memcpy(&loopback, addr, sizeof loopback);
    if (loopback.sin_addr.s_addr == htonl(INADDR_ANY))
      loopback.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    int rc = realBind(fd, reinterpret_cast<const sockaddr*>(&loopback), sizeof loopback);
    if (rc == 0) g_lastBoundFd = fd;
    return rc;
  }
  return realBind(fd, addr, len);
}

// Port of the most recently bound listening socket, or -1.
static int boundPort()
{
  int fd = g_lastBoundFd;
  if (fd < 0) return -1;
  sockaddr_in sin;
  socklen_t len = sizeof sin;
  if (getsockname(fd, reinterpret_cast<sockaddr*>(&sin), &len) != 0) return -1;
  return ntohs(sin.sin_port);
}

static std::atomic<bool> g_stopRequested{false};

static void onStopSignal(int) { g_stopRequested = true; }

static void installStopSignals()
{
  struct sigaction sa;
  std::memset(&sa, 0, sizeof sa);
  sa.sa_handler = onStopSignal;
  sigaction(SIGINT, &sa, nullptr);
  sigaction(SIGTERM, &sa, nullptr);
  signal(SIGPIPE, SIG_IGN);
}

static double monotonicSeconds()
{
  using namespace std::chrono;
  return duration<double>(steady_clock::now().time_since_epoch()).count();
}

// Default dictionary: <repo>/../shared/spec/FIX44.xml, found from the executable's location
// (<repo>/build/quickfix/<name>) so the peers work from any working directory.
static std::string defaultDictionaryPath()
{
  char buf[PATH_MAX];
  ssize_t n = readlink("/proc/self/exe", buf, sizeof buf - 1);
  if (n <= 0) return "../shared/spec/FIX44.xml";
  buf[n] = '\0';
  std::string exe(buf);
  std::string dir = exe.substr(0, exe.rfind('/'));           // build/quickfix
  for (int i = 0; i < 2; ++i) dir = dir.substr(0, dir.rfind('/'));  // repo root
  return dir + "/../shared/spec/FIX44.xml";
}

static bool fileReadable(const std::string& path) { return access(path.c_str(), R_OK) == 0; }

// Parses a non-negative integer argument or exits with a clear message.
static long parseCount(const char* flag, const char* text)
{
  char* end = nullptr;
  long v = std::strtol(text, &end, 10);
  if (text[0] == '\0' || *end != '\0' || v < 0)
  {
    std::fprintf(stderr, "error: %s expects a non-negative integer, got '%s'\n", flag, text);
    std::exit(2);
  }
  return v;
}
