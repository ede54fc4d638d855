#include "app/interrupt.h"

#include <unistd.h>

#include <csignal>
#include <cstring>

namespace app {

namespace {

// A signal handler can only reach globals, and may call only async-signal-safe
// functions (write, signal, raise): the message is copied here beforehand.
char g_message[1024];
std::size_t g_length = 0;
struct sigaction g_previous_int, g_previous_term;

extern "C" void on_interrupt(int sig) {
  ssize_t ignored = ::write(STDERR_FILENO, g_message, g_length);
  (void)ignored;
  std::signal(sig, SIG_DFL);
  std::raise(sig);
}

// The signal StopOnSignal noted, or 0.
volatile std::sig_atomic_t g_stop = 0;

extern "C" void on_stop(int sig) {
  if (g_stop != 0) {  // the second one: the user insists
    std::signal(sig, SIG_DFL);
    std::raise(sig);
    return;
  }
  g_stop = sig;
}

void install(void (*handler)(int)) {
  struct sigaction a {};
  a.sa_handler = handler;
  sigemptyset(&a.sa_mask);
  sigaction(SIGINT, &a, &g_previous_int);
  sigaction(SIGTERM, &a, &g_previous_term);
}

void restore() {
  sigaction(SIGINT, &g_previous_int, nullptr);
  sigaction(SIGTERM, &g_previous_term, nullptr);
}

}  // namespace

InterruptMessage::InterruptMessage(const std::string& message) {
  g_length = std::min(message.size(), sizeof g_message);
  std::memcpy(g_message, message.data(), g_length);
  install(on_interrupt);
}

InterruptMessage::~InterruptMessage() { restore(); }

StopOnSignal::StopOnSignal() {
  g_stop = 0;
  install(on_stop);
}

StopOnSignal::~StopOnSignal() { restore(); }

void throw_if_stopped() {
  if (g_stop != 0) throw Interrupted{g_stop};
}

}  // namespace app
