// qf-codec-bench: QuickFIX C++ (1.15.1) codec throughput, the reference figure our TS codec bench
// compares against. Built by scripts/build-quickfix.sh into build/quickfix/qf-codec-bench.
//
// Usage:
//   qf-codec-bench MESSAGES_FILE [SECONDS_PER_CASE=1.5] [DICT=<repo>/../shared/spec/FIX44.xml]
//     MESSAGES_FILE  SOH-delimited FIX 4.4 messages, one per line: line 1 an ExecutionReport
//                    (~250 bytes), line 2 a NewOrderSingle. Both must be valid (BodyLength,
//                    CheckSum, dictionary), since parse validates them like a receiving session.
//     SECONDS_PER_CASE  time budget of each measured case (after a 0.2 s warm-up).
// Output: one JSON line
//   {"quickfix_parse_msgs_per_s":N,"quickfix_encode_msgs_per_s":N,"quickfix_checksum_per_s":N}
//
// What each case measures (per iteration):
//  parse    FIX::Message(er, dd, true) (QuickFIX's parser: length/checksum check, groups via the
//           dictionary) + dd.validate(msg) (what Session::next does on receipt) + reading OrderID,
//           ExecID, ExecType, OrdStatus, Symbol, Side, LeavesQty, CumQty, AvgPx as typed fields.
//  encode   a NewOrderSingle built with typed setters from the fields of line 2 (header:
//           BeginString, SenderCompID, TargetCompID, MsgSeqNum incrementing, SendingTime = now
//           with ms, as a session stamps it) and toString() (BodyLength + CheckSum included).
//  checksum QuickFIX's own checksum routine (FieldBase metrics, as used by Message::checkSum)
//           over the ER bytes up to its CheckSum field; verified against the ER's 10= value.
//           It includes the field's string copy QuickFIX makes, which is how QuickFIX computes it.
#include "peer-common.h"

#include <quickfix/DataDictionary.h>
#include <quickfix/Exceptions.h>
#include <quickfix/Field.h>
#include <quickfix/Message.h>
#include <quickfix/fix44/NewOrderSingle.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>
#include <vector>

namespace
{

volatile long g_sink = 0;  // keeps results observable so the optimiser cannot drop the work

// Runs fn in batches until budget seconds have passed; returns iterations per second.
template <typename Fn> double measure(double budget, Fn fn)
{
  const int batch = 256;
  double warmEnd = monotonicSeconds() + 0.2;
  while (monotonicSeconds() < warmEnd)
    for (int i = 0; i < batch; ++i) fn();
  long iterations = 0;
  double start = monotonicSeconds();
  double end = start + budget;
  double t = start;
  while (t < end)
  {
    for (int i = 0; i < batch; ++i) fn();
    iterations += batch;
    t = monotonicSeconds();
  }
  return (double)iterations / (t - start);
}

int fail(const std::string& why)
{
  std::fprintf(stderr, "qf-codec-bench: %s\n", why.c_str());
  return 1;
}

// Copies every body field of `from` that the typed setters below did not set.
void copyRemainingBody(const FIX::Message& from, FIX::Message& to)
{
  for (FIX::FieldMap::const_iterator it = from.begin(); it != from.end(); ++it)
    if (!to.isSetField(it->getTag())) to.setField(it->getTag(), it->getString());
}

} // namespace

int main(int argc, char** argv)
{
  if (argc < 2 || argc > 4)
  {
    std::fprintf(stderr, "usage: qf-codec-bench MESSAGES_FILE [SECONDS_PER_CASE=1.5] [DICT]\n");
    return 2;
  }
  double budget = argc >= 3 ? std::atof(argv[2]) : 1.5;
  if (!(budget > 0 && budget < 600)) return fail("SECONDS_PER_CASE must be in (0, 600)");
  std::string dictPath = argc >= 4 ? argv[3] : defaultDictionaryPath();

  std::ifstream in(argv[1], std::ios::binary);
  if (!in) return fail(std::string("cannot read ") + argv[1]);
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);)
  {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (!line.empty()) lines.push_back(line);
  }
  if (lines.size() < 2) return fail("need two messages (ExecutionReport, NewOrderSingle), one per line");
  const std::string er = lines[0];
  const std::string nosText = lines[1];

  try
  {
    FIX::DataDictionary dd(dictPath);

    // Validate inputs once with clear errors, and keep the NOS for the encode case.
    FIX::Message erMsg(er, dd, true);
    dd.validate(erMsg);
    FIX::MsgType erType;
    erMsg.getHeader().getField(erType);
    if (erType.getValue() != FIX::MsgType_ExecutionReport) return fail("line 1 is not an ExecutionReport (35=8)");
    FIX::Message nosMsg(nosText, dd, true);
    dd.validate(nosMsg);
    FIX::MsgType nosType;
    nosMsg.getHeader().getField(nosType);
    if (nosType.getValue() != FIX::MsgType_NewOrderSingle) return fail("line 2 is not a NewOrderSingle (35=D)");

    // ---- parse
    double parseRate = measure(budget, [&]() {
      FIX::Message msg(er, dd, true);
      dd.validate(msg);
      FIX::OrderID orderID;
      FIX::ExecID execID;
      FIX::ExecType execType;
      FIX::OrdStatus ordStatus;
      FIX::Symbol symbol;
      FIX::Side side;
      FIX::LeavesQty leavesQty;
      FIX::CumQty cumQty;
      FIX::AvgPx avgPx;
      msg.getFieldIfSet(orderID);
      msg.getFieldIfSet(execID);
      msg.getFieldIfSet(execType);
      msg.getFieldIfSet(ordStatus);
      msg.getFieldIfSet(symbol);
      msg.getFieldIfSet(side);
      msg.getFieldIfSet(leavesQty);
      msg.getFieldIfSet(cumQty);
      msg.getFieldIfSet(avgPx);
      g_sink += (long)orderID.getValue().size() + (long)execID.getValue().size() + execType.getValue() +
                ordStatus.getValue() + (long)symbol.getValue().size() + side.getValue() +
                (long)(leavesQty.getValue() + cumQty.getValue() + avgPx.getValue());
    });

    // ---- encode
    FIX::SenderCompID senderCompID;
    FIX::TargetCompID targetCompID;
    nosMsg.getHeader().getField(senderCompID);
    nosMsg.getHeader().getField(targetCompID);
    FIX::ClOrdID clOrdID;
    FIX::Side side;
    FIX::TransactTime transactTime;
    FIX::OrdType ordType;
    nosMsg.getField(clOrdID);
    nosMsg.getField(side);
    nosMsg.getField(transactTime);
    nosMsg.getField(ordType);
    FIX::Symbol symbol;
    FIX::OrderQty orderQty;
    FIX::Price price;
    FIX::TimeInForce timeInForce;
    bool hasSymbol = nosMsg.getFieldIfSet(symbol);
    bool hasQty = nosMsg.getFieldIfSet(orderQty);
    bool hasPrice = nosMsg.getFieldIfSet(price);
    bool hasTif = nosMsg.getFieldIfSet(timeInForce);
    int seqNum = 1;
    std::string wire;
    double encodeRate = measure(budget, [&]() {
      FIX44::NewOrderSingle nos(clOrdID, side, transactTime, ordType);
      FIX::Header& header = nos.getHeader();
      header.setField(senderCompID);
      header.setField(targetCompID);
      header.setField(FIX::MsgSeqNum(seqNum++));
      header.setField(FIX::SendingTime(FIX::UtcTimeStamp(), 3));
      if (hasSymbol) nos.setField(symbol);
      if (hasQty) nos.setField(orderQty);
      if (hasPrice) nos.setField(price);
      if (hasTif) nos.setField(timeInForce);
      copyRemainingBody(nosMsg, nos);
      nos.toString(wire);
      g_sink += (long)wire.size();
    });

    // ---- checksum over the ER bytes before its CheckSum field
    std::string::size_type trailer = er.rfind("\00110=");
    if (trailer == std::string::npos) return fail("ExecutionReport has no CheckSum field");
    const std::string body = er.substr(0, trailer + 1);
    const int expected = std::atoi(er.c_str() + trailer + 4);
    // FieldBase metrics cover "tag=value\x01"; subtract the constant "58=" and SOH.
    const int wrapperSum = '5' + '8' + '=' + 1;
    FIX::FieldBase probe(FIX::FIELD::Text, body);
    if (((probe.getTotal() - wrapperSum) % 256 + 256) % 256 != expected)
      return fail("checksum self-check failed: ER CheckSum field does not match its bytes");
    double checksumRate = measure(budget, [&]() {
      FIX::FieldBase field(FIX::FIELD::Text, body);
      g_sink += (field.getTotal() - wrapperSum) % 256;
    });

    std::printf("{\"quickfix_parse_msgs_per_s\":%.0f,\"quickfix_encode_msgs_per_s\":%.0f,"
                "\"quickfix_checksum_per_s\":%.0f}\n",
                parseRate, encodeRate, checksumRate);
  }
  catch (const std::exception& e)
  {
    return fail(std::string("QuickFIX rejected the input: ") + e.what());
  }
  return 0;
}
