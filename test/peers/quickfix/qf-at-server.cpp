// qf-at-server: QuickFIX C++'s own acceptance-test acceptor, configured the way
// ../shared/quickfix-at/README.md (from QuickFIX's test/setup.sh and src/at_application.h)
// says, so our TypeScript AT runner can be proven against the reference implementation.
//
// Usage:
//   qf-at-server --port P [--dict PATH] [--max-seconds S] [--no-stdin] [--log]
//     --port P          TCP port on 127.0.0.1; 0 picks a free one (see READY line)
//     --dict PATH       FIX 4.4 QuickFIX dictionary (default <repo>/../shared/spec/FIX44.xml)
//     --max-seconds S   exit after S seconds (default 900)
//     --no-stdin        do not exit when stdin reaches EOF (default: exit on EOF)
//     --log             QuickFIX screen log (incoming/outgoing/events) on stdout
// Prints `READY <port>` on stdout once listening. Exits on stdin EOF, the deadline,
// SIGINT or SIGTERM.
#include "peer-common.h"

#include <quickfix/Application.h>
#include <quickfix/Exceptions.h>
#include <quickfix/FileStore.h>
#include <quickfix/Log.h>
#include <quickfix/Message.h>
#include <quickfix/Session.h>
#include <quickfix/SessionSettings.h>
#include <quickfix/SocketAcceptor.h>
#include <quickfix/Values.h>

#include <iostream>
#include <memory>
#include <mutex>
#include <set>
#include <sstream>
#include <utility>

namespace
{

// The "at" application. Behaviour the scripts depend on:
//  NewOrderSingle  echoed back; a PossResend=Y copy of a ClOrdID already seen since logon is
//                  silently dropped (19a/19b). The seen set is cleared on logout.
//  SecurityDefinition (d), Email (C)  echoed back.
//  anything else   UnsupportedMessageType -> QuickFIX answers BusinessMessageReject 380=3.
class AtApplication : public FIX::NullApplication
{
public:
  void onLogout(const FIX::SessionID&) override
  {
    std::lock_guard<std::mutex> lock(m_mutex);
    m_orderIDs.clear();
  }

  void fromApp(const FIX::Message& message, const FIX::SessionID& sessionID)
    throw(FIX::FieldNotFound, FIX::IncorrectDataFormat, FIX::IncorrectTagValue,
          FIX::UnsupportedMessageType) override
  {
    FIX::MsgType msgType;
    message.getHeader().getField(msgType);
    const std::string& type = msgType.getValue();
    if (type == FIX::MsgType_NewOrderSingle)
      onNewOrderSingle(message, sessionID);
    else if (type == FIX::MsgType_SecurityDefinition || type == FIX::MsgType_Email)
      echo(message, sessionID);
    else
      throw FIX::UnsupportedMessageType();
  }

private:
  void onNewOrderSingle(const FIX::Message& message, const FIX::SessionID& sessionID)
  {
    FIX::PossResend possResend(false);
    if (message.getHeader().isSetField(possResend))
      message.getHeader().getField(possResend);
    FIX::ClOrdID clOrdID;
    message.getField(clOrdID);
    std::pair<std::string, std::string> key(clOrdID.getValue(), sessionID.toString());
    {
      std::lock_guard<std::mutex> lock(m_mutex);
      if (possResend.getValue() && m_orderIDs.count(key) != 0) return;
      m_orderIDs.insert(key);
    }
    echo(message, sessionID);
  }

  static void echo(const FIX::Message& message, const FIX::SessionID& sessionID)
  {
    FIX::Message copy = message;
    FIX::Session::sendToTarget(copy, sessionID);
  }

  std::mutex m_mutex;
  std::set<std::pair<std::string, std::string>> m_orderIDs;
};

std::string settingsText(int port, const std::string& dict)
{
  std::ostringstream cfg;
  cfg << "[DEFAULT]\n"
      << "ConnectionType=acceptor\n"
      << "SocketAcceptPort=" << port << "\n"
      << "SocketReuseAddress=Y\n"
      << "StartTime=00:00:00\n"
      << "EndTime=00:00:00\n"
      << "BeginString=FIX.4.4\n"
      << "SenderCompID=ISLD\n"
      << "ResetOnLogon=Y\n"
      << "UseDataDictionary=Y\n"
      << "DataDictionary=" << dict << "\n"
      << "[SESSION]\nTargetCompID=TW44\n"
      << "[SESSION]\nTargetCompID=TW\n"
      << "[SESSION]\nTargetCompID=NO_CHECK_FIELDS_HAVE_VALUES\nValidateFieldsHaveValues=N\n";
  return cfg.str();
}

void usage()
{
  std::fprintf(stderr,
    "usage: qf-at-server --port P [--dict PATH] [--max-seconds S] [--no-stdin] [--log]\n");
}

} // namespace

int main(int argc, char** argv)
{
  long port = -1;
  long maxSeconds = 900;
  bool watchStdin = true;
  bool log = false;
  std::string dict = defaultDictionaryPath();
  for (int i = 1; i < argc; ++i)
  {
    std::string a = argv[i];
    bool hasValue = i + 1 < argc;
    if (a == "--port" && hasValue) port = parseCount("--port", argv[++i]);
    else if (a == "--dict" && hasValue) dict = argv[++i];
    else if (a == "--max-seconds" && hasValue) maxSeconds = parseCount("--max-seconds", argv[++i]);
    else if (a == "--no-stdin") watchStdin = false;
    else if (a == "--log") log = true;
    else { usage(); return 2; }
  }
  if (!prepareToRun(port >= 0 && port <= 65535, usage, dict)) return 2;

  try
  {
    FIX::SessionSettings settings = sessionSettingsFromText(settingsText((int)port, dict));
    AtApplication application;
    FIX::MemoryStoreFactory storeFactory;
    FIX::ScreenLogFactory logFactory(log, log, log);
    std::unique_ptr<FIX::SocketAcceptor> acceptor(
      log ? new FIX::SocketAcceptor(application, storeFactory, settings, logFactory)
          : new FIX::SocketAcceptor(application, storeFactory, settings));
    acceptor->start();
    emitLine("READY %d", boundPort());
    waitForStop(deadlineAfter(maxSeconds), watchStdin);
    acceptor->stop(true);
  }
  catch (const std::exception& e)
  {
    std::fprintf(stderr, "error: %s\n", e.what());
    return 1;
  }
  return 0;
}
