// qf-rtt: QuickFIX C++ round-trip benchmark peer (bench-only; kfix never links QuickFIX).
//
// Why not test/peers/quickfix/qf-peer --pingpong: that one prints only p50/p99, and its acceptor
// writes a stdout line per application message, which would put a write(2) in QuickFIX's round
// trip. This program keeps the acceptor silent and gives the initiator's every sample (ns) to the
// TypeScript side, so QuickFIX's histogram is built the same way as ours.
//
// Usage:
//   qf-rtt --role acceptor  --port P|0 [--sender S] [--target T] [--dict PATH] [--max-seconds S]
//   qf-rtt --role initiator --port P [--host H] [--sender S] [--target T] [--dict PATH]
//          --count N [--warmup W] [--window K] [--rate R] [--duration-ms D] [--out FILE]
//          [--max-seconds S]
//     --count N       measured round trips (after --warmup W, default N/10 capped at 1000)
//     --window K      orders in flight (1 = ping-pong, default); each sample is one order's
//                     NewOrderSingle send -> its ExecutionReport received (matched by ClOrdID)
//     --rate R        pace sends at R orders/s (0 = as fast as acknowledgements allow, default);
//                     a late send is sent at once (coordinated-omission correction is the reader's)
//     --duration-ms D stop sending measured orders after D ms even if fewer than N (default none)
//     --out FILE      write the measured samples as little-endian int64 nanoseconds, in send order
// Defaults: sender/target QFRTT-I/QFRTT-A for the initiator and the reverse for the acceptor,
// memory store, dictionary validation ON, SocketNodelay=Y, plain TCP, 127.0.0.1 only.
//
// stdout: READY <port> | LOGON | LOGOUT | ERROR <text> | RESULT {json} | BYE (last line)
//   RESULT json: count, warmup, window, rate, elapsed_ns (measured phase), p50_ns, p99_ns, max_ns
// The acceptor answers each NewOrderSingle with an ExecutionReport New, the same shape qf-peer uses.
#include "peer-common.h"

#include <algorithm>
#include <cstdint>
#include <mutex>
#include <sstream>
#include <thread>
#include <vector>

namespace
{

typedef std::chrono::steady_clock Clock;

int64_t nowNs() { return std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now().time_since_epoch()).count(); }

struct Options : SessionOptions
{
  // Every run starts afresh at MsgSeqNum 1: nothing here is worth recovering.
  Options() { resetOnLogout = "Y"; resetOnDisconnect = "Y"; }
  std::string out;
  long count = 0, warmup = -1, window = 1, rate = 0, durationMs = 0, maxSeconds = 120;
};

class RttApplication : public SessionPeerApplication
{
public:
  explicit RttApplication(const Options& o) : SessionPeerApplication(std::chrono::milliseconds(50)), m_o(o) {}

  void fromApp(const FIX::Message& message, const FIX::SessionID& sessionID)
    throw(FIX::FieldNotFound, FIX::IncorrectDataFormat, FIX::IncorrectTagValue,
          FIX::UnsupportedMessageType) override
  {
    const std::string& type = message.getHeader().getField(FIX::FIELD::MsgType);
    if (type == FIX::MsgType_NewOrderSingle) acknowledge(message, sessionID);
    else if (type == FIX::MsgType_ExecutionReport) onExecutionReport(message);
    else throw FIX::UnsupportedMessageType();
  }

  // Closed loop: sends the first window; the rest go out from the session thread as
  // acknowledgements arrive, so a measured round trip has no thread hand-off on our side.
  // Paced (--rate): a pacer thread sends on schedule, never blocking the session thread, and
  // waits only when `window` orders are already in flight.
  void start(const FIX::SessionID& sessionID, long warmup, long count)
  {
    m_session = sessionID;
    m_warmup = warmup;
    m_total = warmup + count;
    m_sentAt.assign((size_t)(warmup + count) + 1, 0);
    m_samples.reserve((size_t)count);
    m_intervalNs = m_o.rate > 0 ? (int64_t)(1e9 / (double)m_o.rate) : 0;
    m_startNs = nowNs();
    if (m_intervalNs > 0)
    {
      m_pacer = std::thread([this] { pace(); });
      return;
    }
    long first = std::min<long>(m_o.window, warmup + count);
    for (long i = 0; i < first; ++i) sendNext();
  }

  // Stops and joins the pacer (if any); call before the application goes away.
  void finish()
  {
    {
      std::lock_guard<std::mutex> lock(m_mutex);
      m_finishing = true;
      m_cond.notify_all();
    }
    if (m_pacer.joinable()) m_pacer.join();
  }

  bool waitDone(double deadline) { return waitFor(m_done, deadline); }

  const std::vector<int64_t>& samples() const { return m_samples; }
  int64_t measuredElapsedNs() const { return m_measuredEndNs - m_measuredStartNs; }

private:
  void pace()
  {
    for (;;)
    {
      long id = m_sent.load() + 1;
      if (id > m_total.load()) return;
      int64_t due = m_startNs + (int64_t)(id - 1) * m_intervalNs;
      int64_t now = nowNs();
      if (due > now) std::this_thread::sleep_for(std::chrono::nanoseconds(due - now));
      {
        std::unique_lock<std::mutex> lock(m_mutex);
        while (m_sent.load() - m_acked.load() >= m_o.window && !m_finishing && !g_stopRequested)
          m_cond.wait_for(lock, std::chrono::milliseconds(50));
        if (m_finishing || g_stopRequested) return;
      }
      if (id > m_total.load()) return;  // a duration cap may have ended the run meanwhile
      m_sent.store(id);
      sendOrder(id);
    }
  }

  // Closed loop: the session thread, and the main thread for the first window (ERs may already
  // be arriving then, hence the atomics; everything else is written by one thread only).
  void sendNext()
  {
    long id = m_sent.fetch_add(1) + 1;
    if (id > m_total.load()) return;
    sendOrder(id);
  }

  void sendOrder(long id)
  {
    FIX44::NewOrderSingle order = limitBuyOrder(std::to_string(id), "XBT/USD");
    int64_t t = nowNs();
    if (id == m_warmup + 1)
    {
      m_measuredStartNs = t;
      if (m_o.durationMs > 0) m_stopSendingAt = t + (int64_t)m_o.durationMs * 1000000;
    }
    m_sentAt[(size_t)id] = t;
    FIX::Session::sendToTarget(order, m_session);
  }

  void onExecutionReport(const FIX::Message& report)
  {
    int64_t now = nowNs();
    long id = std::atol(report.getField(FIX::FIELD::ClOrdID).c_str());
    if (id <= 0 || id > m_total.load() || m_sentAt[(size_t)id] == 0) return;
    if (id > m_warmup) m_samples.push_back(now - m_sentAt[(size_t)id]);
    ++m_acked;
    // A duration cap turns the planned total into what was sent by then.
    const int64_t stopAt = m_stopSendingAt.load();
    if (stopAt > 0 && now >= stopAt)
    {
      long sent = std::min(m_sent.load(), m_total.load());
      if (sent > m_warmup && sent < m_total.load()) m_total = sent;
    }
    if (m_acked.load() >= m_total.load())
    {
      m_measuredEndNs = now;
      setAndNotify(m_done, true);
      return;
    }
    if (m_intervalNs > 0)
    {
      std::lock_guard<std::mutex> lock(m_mutex);  // wakes a pacer waiting for window room
      m_cond.notify_all();
      return;
    }
    sendNext();
  }

  void acknowledge(const FIX::Message& order, const FIX::SessionID& sessionID)
  {
    FIX44::ExecutionReport report = executionReportNew(order, ++m_execIDs);
    FIX::Session::sendToTarget(report, sessionID);
  }

  const Options& m_o;
  bool m_done = false;
  long m_execIDs = 0;
  // initiator state: touched by the session thread once started
  FIX::SessionID m_session;
  long m_warmup = 0;
  bool m_finishing = false;
  std::thread m_pacer;
  std::atomic<long> m_total{0}, m_sent{0}, m_acked{0};
  std::atomic<int64_t> m_stopSendingAt{0};
  int64_t m_intervalNs = 0, m_startNs = 0, m_measuredStartNs = 0, m_measuredEndNs = 0;
  std::vector<int64_t> m_sentAt, m_samples;
};

void usage()
{
  std::fprintf(stderr,
    "usage: qf-rtt --role acceptor|initiator --port P [--host H] [--sender S] [--target T] [--dict PATH]\n"
    "       [--count N] [--warmup W] [--window K] [--rate R] [--duration-ms D] [--out FILE] [--max-seconds S]\n");
}

bool parseArgs(int argc, char** argv, Options& o)
{
  for (int i = 1; i < argc; ++i)
  {
    std::string a = argv[i];
    if (i + 1 >= argc) return false;
    const char* v = argv[++i];
    if (parseSessionFlag(a, v, o)) continue;
    if (a == "--out") o.out = v;
    else if (a == "--count") o.count = parseCount(a.c_str(), v);
    else if (a == "--warmup") o.warmup = parseCount(a.c_str(), v);
    else if (a == "--window") o.window = parseCount(a.c_str(), v);
    else if (a == "--rate") o.rate = parseCount(a.c_str(), v);
    else if (a == "--duration-ms") o.durationMs = parseCount(a.c_str(), v);
    else if (a == "--max-seconds") o.maxSeconds = parseCount(a.c_str(), v);
    else return false;
  }
  if (!sessionRoleAndPortValid(o)) return false;
  if (o.sender.empty()) o.sender = o.role == "initiator" ? "QFRTT-I" : "QFRTT-A";
  if (o.target.empty()) o.target = o.role == "initiator" ? "QFRTT-A" : "QFRTT-I";
  if (o.role == "initiator" && (o.count <= 0 || o.window <= 0)) return false;
  return true;
}

std::string settingsText(const Options& o)
{
  std::ostringstream cfg;
  writeSessionDefaults(cfg, o);
  cfg << "[SESSION]\n";
  return cfg.str();
}

bool writeSamples(const std::string& path, const std::vector<int64_t>& v)
{
  FILE* f = std::fopen(path.c_str(), "wb");
  if (f == nullptr) return false;
  size_t n = v.empty() ? 0 : std::fwrite(v.data(), sizeof(int64_t), v.size(), f);
  return std::fclose(f) == 0 && n == v.size();
}

std::string resultJson(const Options& o, long warmup, const std::vector<int64_t>& samples, int64_t elapsedNs)
{
  std::vector<int64_t> s(samples);
  std::sort(s.begin(), s.end());
  auto at = [&](double p) { return s.empty() ? 0 : s[(size_t)(p * (double)(s.size() - 1))]; };
  std::ostringstream j;
  j << "{\"count\":" << s.size() << ",\"warmup\":" << warmup << ",\"window\":" << o.window << ",\"rate\":" << o.rate
    << ",\"elapsed_ns\":" << elapsedNs << ",\"p50_ns\":" << at(0.5) << ",\"p99_ns\":" << at(0.99)
    << ",\"max_ns\":" << (s.empty() ? 0 : s.back()) << "}";
  return j.str();
}

// Initiator: warm-up and measured round trips, then one RESULT line; returns the exit code.
int runRoundTrips(RttApplication& app, const Options& o, double deadline)
{
  long warmup = warmupOrDefault(o.warmup, o.count);
  if (!app.waitLoggedOn(deadline)) { emitLine("ERROR no logon before deadline"); return 1; }
  app.start(sessionIDOf(o), warmup, o.count);
  bool done = app.waitDone(deadline);
  app.finish();
  if (!done) { emitLine("ERROR round trips did not finish before deadline"); return 1; }
  int rc = 0;
  if (!o.out.empty() && !writeSamples(o.out, app.samples()))
  {
    emitLine("ERROR cannot write %s", o.out.c_str());
    rc = 1;
  }
  emitLine("RESULT %s", resultJson(o, warmup, app.samples(), app.measuredElapsedNs()).c_str());
  return rc;
}

} // namespace

int main(int argc, char** argv)
{
  Options o;
  if (!prepareToRun(parseArgs(argc, argv, o), usage, o.dict)) return 2;
  try
  {
    FIX::SessionSettings settings = sessionSettingsFromText(settingsText(o));
    RttApplication app(o);
    FIX::MemoryStoreFactory store;
    const double deadline = deadlineAfter(o.maxSeconds);
    SocketEndpoint endpoint(o.role, app, store, settings, nullptr);
    int rc = 0;
    // The acceptor lives until stdin closes, a signal, or the deadline: the driver owns its lifetime.
    if (o.role == "acceptor") waitForStop(deadline, true);
    else rc = runRoundTrips(app, o, deadline);
    endpoint.stop();
    emitLine("BYE");
    return rc;
  }
  catch (const std::exception& e)
  {
    emitLine("ERROR %s", e.what());
    return 1;
  }
}
