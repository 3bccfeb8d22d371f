// qf-peer: a general QuickFIX C++ interop peer (acceptor or initiator) that TypeScript tests drive
// through stdin commands and check through stdout event lines. Dictionary validation is ON.
//
// Usage:
//   qf-peer --role acceptor|initiator --port P --sender S --target T [options]
//     --host H               initiator: connect to H (default 127.0.0.1)
//     --dict PATH            FIX 4.4 dictionary (default <repo>/../shared/spec/FIX44.xml)
//     --store memory|DIR     message store (default memory); DIR = QuickFIX FileStore directory
//     --heartbeat N          HeartBtInt the initiator sends (default 30)
//     --reset-on-logon Y|N   ResetOnLogon (default Y); also --reset-on-logout, --reset-on-disconnect
//     --set Key=Value        any other QuickFIX session setting (repeatable)
//     --logon-field T=V      extra field put on outgoing Logon, e.g. 553=user (repeatable)
//     --symbol SYM           Symbol of NewOrderSingles we send (default XBT/USD)
//     --log screen|DIR       QuickFIX log to stdout, or FileLog in DIR (default none)
//     --max-seconds S        exit after S seconds (default 600)
//     --no-stdin             ignore stdin (only the deadline/signals stop the peer)
//     --pingpong N           initiator: after logon send one NewOrderSingle, wait for its
//                            ExecutionReport, repeat N times; print one JSON line with p50/p99
//                            round-trip in microseconds, log out, exit. --warmup W (default N/10,
//                            at most 1000) round trips are excluded.
//
// Application (both roles): a NewOrderSingle is answered with an ExecutionReport New (ExecType 0,
// OrdStatus 0, fresh OrderID/ExecID, CumQty 0, LeavesQty = OrderQty, AvgPx 0); ExecutionReports are
// counted; any other application message gets a BusinessMessageReject (UnsupportedMessageType).
//
// stdout events (one per line):
//   READY <port>                  acceptor listening (port 0 -> the chosen port); initiator: READY 0
//   LOGON | LOGOUT
//   APP <MsgType> <MsgSeqNum> <ClOrdID|-> <PossDup Y|N>      each application message received
//   ADMIN_IN <MsgType> <MsgSeqNum> <Text|->                  each admin message received
//   ADMIN_OUT <MsgType> <MsgSeqNum> <Text|->                 each admin message sent
//   SENT <n>                      after `send n` queued n NewOrderSingles
//   ALL_ACKED <n>                 ExecutionReports received == NewOrderSingles sent (n)
//   STATUS <loggedOn Y|N> <nextSenderSeqNum> <nextTargetSeqNum>
//   ERROR <text>                  | BYE (last line)
// stdin commands: `send N`, `logout`, `status`, `quit` (EOF = quit).
#include "peer-common.h"

#include <quickfix/FileLog.h>
#include <quickfix/FileStore.h>

#include <algorithm>
#include <memory>
#include <mutex>
#include <sstream>
#include <vector>

namespace
{

std::string fieldOr(const FIX::FieldMap& map, int tag, const char* fallback)
{
  return map.isSetField(tag) ? map.getField(tag) : std::string(fallback);
}

struct Options : SessionOptions
{
  std::string store = "memory", log, symbol = "XBT/USD";
  long maxSeconds = 600, pingpong = 0, warmup = -1;
  bool watchStdin = true;
  std::vector<std::string> extraSettings;
  std::vector<std::pair<int, std::string>> logonFields;
};

class PeerApplication : public SessionPeerApplication
{
public:
  explicit PeerApplication(const Options& options)
    : SessionPeerApplication(std::chrono::milliseconds(100)), m_options(options) {}

  void toAdmin(FIX::Message& message, const FIX::SessionID&) override
  {
    const std::string type = message.getHeader().getField(FIX::FIELD::MsgType);
    if (type == FIX::MsgType_Logon)
      for (const auto& f : m_options.logonFields) message.setField(f.first, f.second);
    emitLine("ADMIN_OUT %s %s %s", type.c_str(), fieldOr(message.getHeader(), FIX::FIELD::MsgSeqNum, "-").c_str(),
             fieldOr(message, FIX::FIELD::Text, "-").c_str());
  }
  void fromAdmin(const FIX::Message& message, const FIX::SessionID&)
    throw(FIX::FieldNotFound, FIX::IncorrectDataFormat, FIX::IncorrectTagValue, FIX::RejectLogon) override
  {
    emitLine("ADMIN_IN %s %s %s", message.getHeader().getField(FIX::FIELD::MsgType).c_str(),
             fieldOr(message.getHeader(), FIX::FIELD::MsgSeqNum, "-").c_str(),
             fieldOr(message, FIX::FIELD::Text, "-").c_str());
  }

  void fromApp(const FIX::Message& message, const FIX::SessionID& sessionID)
    throw(FIX::FieldNotFound, FIX::IncorrectDataFormat, FIX::IncorrectTagValue,
          FIX::UnsupportedMessageType) override
  {
    const std::string type = message.getHeader().getField(FIX::FIELD::MsgType);
    if (m_options.pingpong == 0)
      emitLine("APP %s %s %s %s", type.c_str(), message.getHeader().getField(FIX::FIELD::MsgSeqNum).c_str(),
               fieldOr(message, FIX::FIELD::ClOrdID, "-").c_str(),
               fieldOr(message.getHeader(), FIX::FIELD::PossDupFlag, "N").c_str());
    if (type == FIX::MsgType_NewOrderSingle)
      acknowledge(message, sessionID);
    else if (type == FIX::MsgType_ExecutionReport)
      onExecutionReport();
    else
      throw FIX::UnsupportedMessageType();
  }

  // Queues n NewOrderSingles; returns false (and says why) when the session is unknown.
  bool sendOrders(const FIX::SessionID& sessionID, long n)
  {
    for (long i = 0; i < n; ++i)
    {
      if (!sendOneOrder(sessionID)) return false;
    }
    return true;
  }

  // Ping-pong: the next order goes out from the callback thread that received the ER, so the
  // measured round trip has no thread hand-off on our side.
  void startPingPong(const FIX::SessionID& sessionID, long total)
  {
    m_pingSession = sessionID;
    m_pingTotal = total;
    m_rttNanos.reserve((size_t)total);
    m_pingSentAt = std::chrono::steady_clock::now();
    sendOneOrder(sessionID);
  }

  bool waitPingPongDone(double deadline) { return waitFor(m_pingDone, deadline); }

  const std::vector<long>& roundTrips() const { return m_rttNanos; }

private:
  bool sendOneOrder(const FIX::SessionID& sessionID)
  {
    long id;
    {
      std::lock_guard<std::mutex> lock(m_mutex);
      id = ++m_ordersSent;
    }
    FIX44::NewOrderSingle order = limitBuyOrder("QF" + std::to_string(id), m_options.symbol);
    try
    {
      return FIX::Session::sendToTarget(order, sessionID);
    }
    catch (const FIX::SessionNotFound&)
    {
      emitLine("ERROR session not found: %s", sessionID.toString().c_str());
      return false;
    }
  }

  void acknowledge(const FIX::Message& order, const FIX::SessionID& sessionID)
  {
    long id;
    {
      std::lock_guard<std::mutex> lock(m_mutex);
      id = ++m_execIDs;
    }
    FIX44::ExecutionReport report = executionReportNew(order, id);
    FIX::Session::sendToTarget(report, sessionID);
  }

  void onExecutionReport()
  {
    if (m_pingTotal > 0)
    {
      auto now = std::chrono::steady_clock::now();
      m_rttNanos.push_back((long)std::chrono::duration_cast<std::chrono::nanoseconds>(now - m_pingSentAt).count());
      if ((long)m_rttNanos.size() < m_pingTotal)
      {
        m_pingSentAt = std::chrono::steady_clock::now();
        sendOneOrder(m_pingSession);
        return;
      }
      setAndNotify(m_pingDone, true);
      return;
    }
    long received, sent;
    {
      std::lock_guard<std::mutex> lock(m_mutex);
      received = ++m_reportsReceived;
      sent = m_ordersSent;
    }
    if (received == sent) emitLine("ALL_ACKED %ld", received);
  }

  const Options& m_options;
  long m_ordersSent = 0, m_reportsReceived = 0, m_execIDs = 0;
  // ping-pong state: touched only by the session thread once started
  FIX::SessionID m_pingSession;
  long m_pingTotal = 0;
  bool m_pingDone = false;
  std::chrono::steady_clock::time_point m_pingSentAt;
  std::vector<long> m_rttNanos;
};

void usage()
{
  std::fprintf(stderr,
    "usage: qf-peer --role acceptor|initiator --port P --sender S --target T [--host H] [--dict PATH]\n"
    "       [--store memory|DIR] [--heartbeat N] [--reset-on-logon Y|N] [--reset-on-logout Y|N]\n"
    "       [--reset-on-disconnect Y|N] [--set K=V]... [--logon-field T=V]... [--symbol SYM]\n"
    "       [--log screen|DIR] [--max-seconds S] [--no-stdin] [--pingpong N [--warmup W]]\n");
}

bool parseArgs(int argc, char** argv, Options& o)
{
  for (int i = 1; i < argc; ++i)
  {
    std::string a = argv[i];
    if (a == "--no-stdin") { o.watchStdin = false; continue; }
    if (i + 1 >= argc) return false;
    const char* v = argv[++i];
    if (parseSessionFlag(a, v, o)) continue;
    if (a == "--store") o.store = v;
    else if (a == "--heartbeat") o.heartbeat = parseCount(a.c_str(), v);
    else if (a == "--reset-on-logon") o.resetOnLogon = v;
    else if (a == "--reset-on-logout") o.resetOnLogout = v;
    else if (a == "--reset-on-disconnect") o.resetOnDisconnect = v;
    else if (a == "--set") o.extraSettings.push_back(v);
    else if (a == "--symbol") o.symbol = v;
    else if (a == "--log") o.log = v;
    else if (a == "--max-seconds") o.maxSeconds = parseCount(a.c_str(), v);
    else if (a == "--pingpong") o.pingpong = parseCount(a.c_str(), v);
    else if (a == "--warmup") o.warmup = parseCount(a.c_str(), v);
    else if (a == "--logon-field")
    {
      std::string s = v;
      size_t eq = s.find('=');
      if (eq == std::string::npos || eq == 0) return false;
      o.logonFields.emplace_back((int)parseCount(a.c_str(), s.substr(0, eq).c_str()), s.substr(eq + 1));
    }
    else return false;
  }
  if (!sessionRoleAndPortValid(o) || o.sender.empty() || o.target.empty()) return false;
  if (o.pingpong > 0 && o.role != "initiator") return false;
  return true;
}

std::string settingsText(const Options& o)
{
  std::ostringstream cfg;
  writeSessionDefaults(cfg, o);
  if (o.store != "memory") cfg << "FileStorePath=" << o.store << "\n";
  if (!o.log.empty() && o.log != "screen") cfg << "FileLogPath=" << o.log << "\n";
  for (const auto& s : o.extraSettings) cfg << s << "\n";
  cfg << "[SESSION]\n";
  return cfg.str();
}

void printPingPong(const std::vector<long>& rtt, long warmup)
{
  std::vector<long> v(rtt.begin() + std::min<long>(warmup, (long)rtt.size()), rtt.end());
  if (v.empty()) { emitLine("ERROR no measured round trips"); return; }
  std::sort(v.begin(), v.end());
  auto pct = [&](double p) { return (double)v[(size_t)(p * (double)(v.size() - 1))] / 1000.0; };
  double sum = 0;
  for (long x : v) sum += (double)x;
  emitLine("{\"quickfix_rtt_count\":%zu,\"quickfix_rtt_p50_us\":%.1f,\"quickfix_rtt_p99_us\":%.1f,"
           "\"quickfix_rtt_mean_us\":%.1f,\"quickfix_rtt_max_us\":%.1f}",
           v.size(), pct(0.50), pct(0.99), sum / (double)v.size() / 1000.0, (double)v.back() / 1000.0);
}

// Reads complete lines from stdin without blocking past `timeoutMs`. Returns false on EOF.
bool pollCommands(std::string& pending, std::vector<std::string>& lines, int timeoutMs)
{
  pollfd pfd = {STDIN_FILENO, POLLIN, 0};
  if (poll(&pfd, 1, timeoutMs) <= 0) return true;
  char buf[512];
  ssize_t r = read(STDIN_FILENO, buf, sizeof buf);
  if (r <= 0) return false;
  pending.append(buf, (size_t)r);
  size_t nl;
  while ((nl = pending.find('\n')) != std::string::npos)
  {
    lines.push_back(pending.substr(0, nl));
    pending.erase(0, nl + 1);
  }
  return true;
}

// Ping-pong mode: one JSON line of round-trip figures; returns the exit code.
int runPingPong(PeerApplication& app, const Options& o, const FIX::SessionID& sessionID, double deadline)
{
  long warmup = warmupOrDefault(o.warmup, o.pingpong);
  if (!app.waitLoggedOn(deadline)) { emitLine("ERROR no logon before deadline"); return 1; }
  app.startPingPong(sessionID, o.pingpong + warmup);
  if (!app.waitPingPongDone(deadline)) { emitLine("ERROR ping-pong did not finish before deadline"); return 1; }
  printPingPong(app.roundTrips(), warmup);
  return 0;
}

// Command mode: obeys stdin commands until `quit`, EOF, a stop signal or the deadline.
void runCommands(PeerApplication& app, const FIX::SessionID& sessionID, double deadline)
{
  std::string pending;
  std::vector<std::string> lines;
  bool quit = false;
  while (!quit && !g_stopRequested && monotonicSeconds() < deadline)
  {
    if (!pollCommands(pending, lines, 100)) break;
    for (const std::string& line : lines)
    {
      std::istringstream words(line);
      std::string cmd;
      words >> cmd;
      if (cmd.empty()) continue;
      if (cmd == "quit") { quit = true; break; }
      FIX::Session* session = FIX::Session::lookupSession(sessionID);
      if (session == nullptr) { emitLine("ERROR session not found"); continue; }
      if (cmd == "send")
      {
        long n = -1;
        if (!(words >> n) || n < 0) { emitLine("ERROR usage: send N"); continue; }
        if (!session->isLoggedOn()) { emitLine("ERROR not logged on"); continue; }
        if (app.sendOrders(sessionID, n)) emitLine("SENT %ld", n);
      }
      else if (cmd == "logout") session->logout();
      else if (cmd == "status")
        emitLine("STATUS %s %d %d", session->isLoggedOn() ? "Y" : "N", session->getExpectedSenderNum(),
                 session->getExpectedTargetNum());
      else emitLine("ERROR unknown command: %s", cmd.c_str());
    }
    lines.clear();
  }
}

} // namespace

int main(int argc, char** argv)
{
  Options o;
  if (!prepareToRun(parseArgs(argc, argv, o), usage, o.dict)) return 2;

  try
  {
    FIX::SessionSettings settings = sessionSettingsFromText(settingsText(o));
    PeerApplication app(o);
    std::unique_ptr<FIX::MessageStoreFactory> store;
    if (o.store == "memory") store.reset(new FIX::MemoryStoreFactory());
    else store.reset(new FIX::FileStoreFactory(settings));
    std::unique_ptr<FIX::LogFactory> logFactory;
    if (o.log == "screen") logFactory.reset(new FIX::ScreenLogFactory(true, true, true));
    else if (!o.log.empty()) logFactory.reset(new FIX::FileLogFactory(settings));

    SocketEndpoint endpoint(o.role, app, *store, settings, logFactory.get());
    const FIX::SessionID sessionID = sessionIDOf(o);
    const double deadline = deadlineAfter(o.maxSeconds);
    int rc = 0;
    if (o.pingpong > 0) rc = runPingPong(app, o, sessionID, deadline);
    else if (o.watchStdin) runCommands(app, sessionID, deadline);
    else waitForStop(deadline, false);

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
