// What Ctrl-C (SIGINT) or SIGTERM says during a long command: a message on
// standard error (how to resume), then the process ends by the signal as it
// would have without us (exit status 128 + signal). Nothing is cleaned up:
// the command's files are written atomically, so none is left half-written.
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

}  // namespace app
