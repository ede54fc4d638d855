// What Ctrl-C (SIGINT) or SIGTERM does during a long command.
//
// InterruptMessage (sweeps): a message on standard error (how to resume),
// then the process ends by the signal as it would have without us (exit
// status 128 + signal); the sweep's files are written atomically, so none is
// left half-written.
//
// StopOnSignal (runs): the signal is only noted; the run looks at it through
// its models::RunWatch (every 2^16 events) and throw_if_stopped() throws
// Interrupted, so that the run unwinds like any error: its output files'
// temporaries are removed, nothing is written, and main_cli exits with
// 128 + signal (130 for SIGINT, 143 for SIGTERM). A second signal ends the
// process at once, as without a handler.
#pragma once

#include <string>

namespace app {

// While alive, SIGINT and SIGTERM print `message`; the previous handlers come
// back when it is destroyed. One at a time (the handler has one message).
class InterruptMessage {
 public:
  explicit InterruptMessage(const std::string& message);
  ~InterruptMessage();
  InterruptMessage(const InterruptMessage&) = delete;
  InterruptMessage& operator=(const InterruptMessage&) = delete;
};

// Thrown by throw_if_stopped(): the command stops, exit code 128 + signal.
struct Interrupted {
  int signal;
};

// While alive, SIGINT and SIGTERM are noted for throw_if_stopped(); the
// previous handlers come back when it is destroyed.
class StopOnSignal {
 public:
  StopOnSignal();
  ~StopOnSignal();
  StopOnSignal(const StopOnSignal&) = delete;
  StopOnSignal& operator=(const StopOnSignal&) = delete;
};

// Throws Interrupted if a signal came since StopOnSignal began.
void throw_if_stopped();

}  // namespace app
