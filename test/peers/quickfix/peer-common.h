// Shared plumbing for the QuickFIX C++ programs (test peers and benches, never linked into kfix):
// qf-peer, qf-at-server, bench/rtt/qf-rtt and bench/quickfix/qf-codec-bench.
//
// Why this exists:
//  * QuickFIX 1.15.1's SocketAcceptor binds INADDR_ANY and has no setting to change it; the
//    project rule is that everything we start binds 127.0.0.1 only. We interpose bind() (the
//    executable's definition wins over libc's for calls made from libquickfix.so) and rewrite
//    the wildcard address to loopback. It also remembers the bound fd so `--port 0` can report
//    the ephemeral port the kernel chose.
//  * Every peer must stop by itself: stdin EOF, a --max-seconds deadline, SIGINT/SIGTERM.
//  * The one-session peers (qf-peer, qf-rtt) must configure, start and answer a session the same
//    way, so that their figures and the interop tests speak of the same QuickFIX setup.
//
// Include this header in exactly one translation unit per program (each program is one .cpp).
// Helpers are `inline` so a program that needs only some of them builds without warnings.
#pragma once

#include <arpa/inet.h>
#include <dlfcn.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <quickfix/Application.h>
#include <quickfix/Log.h>
#include <quickfix/MessageStore.h>
#include <quickfix/Session.h>
#include <quickfix/SessionSettings.h>
#include <quickfix/SocketAcceptor.h>
#include <quickfix/SocketInitiator.h>
#include <quickfix/fix44/ExecutionReport.h>
#include <quickfix/fix44/NewOrderSingle.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <climits>
#include <condition_variable>
#include <cstdarg>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <mutex>
#include <ostream>
#include <sstream>
#include <string>

// ---- loopback-only listening, and the port it got

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
inline int boundPort()
{
  int fd = g_lastBoundFd;
  if (fd < 0) return -1;
  sockaddr_in sin;
  socklen_t len = sizeof sin;
  if (getsockname(fd, reinterpret_cast<sockaddr*>(&sin), &len) != 0) return -1;
  return ntohs(sin.sin_port);
}

// ---- stopping by itself

static std::atomic<bool> g_stopRequested{false};

static void onStopSignal(int) { g_stopRequested = true; }

inline void installStopSignals()
{
  struct sigaction sa;
  std::memset(&sa, 0, sizeof sa);
  sa.sa_handler = onStopSignal;
  sigaction(SIGINT, &sa, nullptr);
  sigaction(SIGTERM, &sa, nullptr);
  signal(SIGPIPE, SIG_IGN);
}

inline double monotonicSeconds()
{
  using namespace std::chrono;
  return duration<double>(steady_clock::now().time_since_epoch()).count();
}

// The --max-seconds deadline, on the monotonicSeconds() clock.
inline double deadlineAfter(long seconds) { return monotonicSeconds() + (double)seconds; }

// Returns on a stop signal, at the deadline, or (when watchStdin) once stdin reaches EOF: a
// closed stdin means the parent that owns our lifetime went away. Input read meanwhile is dropped.
inline void waitForStop(double deadline, bool watchStdin)
{
  while (!g_stopRequested && monotonicSeconds() < deadline)
  {
    pollfd pfd = {STDIN_FILENO, POLLIN, 0};
    int n = poll(watchStdin ? &pfd : nullptr, watchStdin ? 1 : 0, 100);
    if (n > 0 && watchStdin)
    {
      char buf[256];
      if (read(STDIN_FILENO, buf, sizeof buf) <= 0) return;
    }
  }
}

// ---- command line

// Default dictionary: <repo>/../shared/spec/FIX44.xml, found from the executable's location
// (<repo>/build/quickfix/<name>) so the programs work from any working directory.
inline std::string defaultDictionaryPath()
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

// What every session peer does before starting QuickFIX, in this order: its usage line on stderr
// when the arguments are not valid; a clear error when the dictionary cannot be read (QuickFIX
// would report it only as a configuration failure); then the stop signals. False when the
// program must exit 2.
inline bool prepareToRun(bool argumentsValid, void (*usage)(), const std::string& dict)
{
  if (!argumentsValid) { usage(); return false; }
  if (access(dict.c_str(), R_OK) != 0)
  {
    std::fprintf(stderr, "error: dictionary not readable: %s (pass --dict)\n", dict.c_str());
    return false;
  }
  installStopSignals();
  return true;
}

// Parses a non-negative integer argument or exits with a clear message.
inline long parseCount(const char* flag, const char* text)
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

// Warm-up round trips when --warmup is not given (-1): a tenth of the measured ones, at most 1000.
inline long warmupOrDefault(long warmup, long measured)
{
  return warmup >= 0 ? warmup : std::min<long>(1000, measured / 10);
}

// ---- stdout events

// Writes one event line to stdout and flushes it; callable from any thread (QuickFIX callbacks
// run on the session threads), so lines never interleave.
inline void emitLine(const char* fmt, ...) __attribute__((format(printf, 1, 2)));
inline void emitLine(const char* fmt, ...)
{
  static std::mutex outMutex;
  std::lock_guard<std::mutex> lock(outMutex);
  va_list ap;
  va_start(ap, fmt);
  std::vfprintf(stdout, fmt, ap);
  va_end(ap);
  std::fputc('\n', stdout);
  std::fflush(stdout);
}

// ---- one-session peers (qf-peer, qf-rtt)

inline FIX::SessionSettings sessionSettingsFromText(const std::string& text)
{
  std::istringstream in(text);
  return FIX::SessionSettings(in);
}

// What every one-session peer is told on its command line, and the session settings derived from
// it. Defaults are qf-peer's; a program changes them in its own Options.
struct SessionOptions
{
  std::string role, host = "127.0.0.1", sender, target, dict = defaultDictionaryPath();
  long port = -1, heartbeat = 30;
  std::string resetOnLogon = "Y", resetOnLogout = "N", resetOnDisconnect = "N";
};

// Takes --role, --port, --host, --sender, --target or --dict; false when `flag` is none of them.
inline bool parseSessionFlag(const std::string& flag, const char* value, SessionOptions& o)
{
  if (flag == "--role") o.role = value;
  else if (flag == "--port") o.port = parseCount(flag.c_str(), value);
  else if (flag == "--host") o.host = value;
  else if (flag == "--sender") o.sender = value;
  else if (flag == "--target") o.target = value;
  else if (flag == "--dict") o.dict = value;
  else return false;
  return true;
}

// acceptor|initiator, a port in 0..65535, and a real port for an initiator to connect to.
inline bool sessionRoleAndPortValid(const SessionOptions& o)
{
  if (o.role != "acceptor" && o.role != "initiator") return false;
  if (o.port < 0 || o.port > 65535) return false;
  return !(o.role == "initiator" && o.port == 0);
}

// The [DEFAULT] keys of a one-session peer: FIX 4.4 around the clock, dictionary validation ON,
// Nagle off, reconnect every second, then where to listen or connect. The caller adds its own
// keys and the [SESSION] line.
inline void writeSessionDefaults(std::ostream& cfg, const SessionOptions& o)
{
  cfg << "[DEFAULT]\n"
      << "ConnectionType=" << o.role << "\n"
      << "BeginString=FIX.4.4\n"
      << "SenderCompID=" << o.sender << "\n"
      << "TargetCompID=" << o.target << "\n"
      << "StartTime=00:00:00\nEndTime=00:00:00\n"
      << "HeartBtInt=" << o.heartbeat << "\n"
      << "UseDataDictionary=Y\n"
      << "DataDictionary=" << o.dict << "\n"
      << "ResetOnLogon=" << o.resetOnLogon << "\n"
      << "ResetOnLogout=" << o.resetOnLogout << "\n"
      << "ResetOnDisconnect=" << o.resetOnDisconnect << "\n"
      << "SocketNodelay=Y\n"
      << "ReconnectInterval=1\n";
  if (o.role == "acceptor") cfg << "SocketAcceptPort=" << o.port << "\nSocketReuseAddress=Y\n";
  else cfg << "SocketConnectHost=" << o.host << "\nSocketConnectPort=" << o.port << "\n";
}

inline FIX::SessionID sessionIDOf(const SessionOptions& o)
{
  return FIX::SessionID(FIX::BeginString("FIX.4.4"), FIX::SenderCompID(o.sender), FIX::TargetCompID(o.target));
}

// The peer's SocketAcceptor or SocketInitiator, by role. Starting it prints `READY <port>` once
// listening (an initiator: `READY 0`); logFactory may be null (no QuickFIX log).
class SocketEndpoint
{
public:
  SocketEndpoint(const std::string& role, FIX::Application& app, FIX::MessageStoreFactory& store,
                 const FIX::SessionSettings& settings, FIX::LogFactory* logFactory)
  {
    if (role == "acceptor")
    {
      m_acceptor.reset(logFactory ? new FIX::SocketAcceptor(app, store, settings, *logFactory)
                                  : new FIX::SocketAcceptor(app, store, settings));
      m_acceptor->start();
      emitLine("READY %d", boundPort());
    }
    else
    {
      m_initiator.reset(logFactory ? new FIX::SocketInitiator(app, store, settings, *logFactory)
                                   : new FIX::SocketInitiator(app, store, settings));
      m_initiator->start();
      emitLine("READY 0");
    }
  }

  void stop()
  {
    if (m_acceptor) m_acceptor->stop();
    if (m_initiator) m_initiator->stop();
  }

private:
  std::unique_ptr<FIX::Acceptor> m_acceptor;
  std::unique_ptr<FIX::Initiator> m_initiator;
};

// Base of the one-session peers' applications: LOGON/LOGOUT lines on stdout, and waits for main()
// on flags the session thread raises. m_mutex and m_cond guard every such flag; waits also give
// up on a stop signal or the deadline, checking them every `waitSlice`.
class SessionPeerApplication : public FIX::NullApplication
{
public:
  explicit SessionPeerApplication(std::chrono::milliseconds waitSlice) : m_waitSlice(waitSlice) {}

  void onLogon(const FIX::SessionID&) override
  {
    emitLine("LOGON");
    setAndNotify(m_loggedOn, true);
  }
  void onLogout(const FIX::SessionID&) override
  {
    emitLine("LOGOUT");
    setAndNotify(m_loggedOn, false);
  }

  bool waitLoggedOn(double deadline) { return waitFor(m_loggedOn, deadline); }

protected:
  void setAndNotify(bool& flag, bool value)
  {
    std::lock_guard<std::mutex> lock(m_mutex);
    flag = value;
    m_cond.notify_all();
  }

  // Returns the flag: true once set, false on a stop signal or at the deadline.
  bool waitFor(const bool& flag, double deadline)
  {
    std::unique_lock<std::mutex> lock(m_mutex);
    while (!flag && !g_stopRequested && monotonicSeconds() < deadline) m_cond.wait_for(lock, m_waitSlice);
    return flag;
  }

  std::mutex m_mutex;
  std::condition_variable m_cond;

private:
  const std::chrono::milliseconds m_waitSlice;
  bool m_loggedOn = false;
};

// The order both peers send: a limit buy of 1 at 100.5, stamped now (ms).
inline FIX44::NewOrderSingle limitBuyOrder(const std::string& clOrdID, const std::string& symbol)
{
  FIX44::NewOrderSingle order(FIX::ClOrdID(clOrdID), FIX::Side(FIX::Side_BUY),
                              FIX::TransactTime(FIX::UtcTimeStamp(), 3), FIX::OrdType(FIX::OrdType_LIMIT));
  order.set(FIX::Symbol(symbol));
  order.set(FIX::OrderQty(1));
  order.set(FIX::Price(100.5));
  return order;
}

// The answer both peers give a NewOrderSingle: ExecutionReport New (ExecType 0, OrdStatus 0,
// OrderID O<id>, ExecID E<id>, CumQty 0, LeavesQty = OrderQty, AvgPx 0), echoing the order's
// ClOrdID, Symbol, OrderQty, OrdType and Price.
inline FIX44::ExecutionReport executionReportNew(const FIX::Message& order, long id)
{
  FIX::OrderQty orderQty(0);
  order.getFieldIfSet(orderQty);
  FIX::Side side;
  order.getField(side);
  FIX44::ExecutionReport report(FIX::OrderID("O" + std::to_string(id)), FIX::ExecID("E" + std::to_string(id)),
                                FIX::ExecType(FIX::ExecType_NEW), FIX::OrdStatus(FIX::OrdStatus_NEW), side,
                                FIX::LeavesQty(orderQty.getValue()), FIX::CumQty(0), FIX::AvgPx(0));
  if (order.isSetField(FIX::FIELD::ClOrdID)) report.setField(FIX::ClOrdID(order.getField(FIX::FIELD::ClOrdID)));
  if (order.isSetField(FIX::FIELD::Symbol)) report.setField(FIX::Symbol(order.getField(FIX::FIELD::Symbol)));
  report.setField(orderQty);
  if (order.isSetField(FIX::FIELD::OrdType)) report.setField(FIX::FIELD::OrdType, order.getField(FIX::FIELD::OrdType));
  if (order.isSetField(FIX::FIELD::Price)) report.setField(FIX::FIELD::Price, order.getField(FIX::FIELD::Price));
  report.setField(FIX::TransactTime(FIX::UtcTimeStamp(), 3));
  return report;
}
