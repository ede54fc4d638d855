// No GIL: a free-threaded build (3.13t, 3.14t, PEP 703) with the GIL
// disabled, its default. Threads run bytecode in parallel; the thread model
// makes no call of the protocol (CheckPoints::serialises is false), which is
// here so that every build has one.
#include "models/gil_protocol.h"
#include "models/simulation.h"

namespace models {

namespace {

class NoGil final : public GilProtocol {
 public:
  explicit NoGil(const GilSetup& s) : GilProtocol(check_points(), s.threads) {}

  GilTake take(int) override { return unused<GilTake>(); }
  bool drop(int) override { return unused<bool>(); }
  GilCheck at_check(int) override { return unused<GilCheck>(); }
  void exit(int) override { unused<bool>(); }

 private:
  static CheckPoints check_points() {
    CheckPoints c;
    c.serialises = false;
    return c;
  }
  template <class T>
  [[noreturn]] static T unused() {
    throw InvariantViolation("a thread of a free-threaded build asked for a GIL it does not have");
  }
};

std::unique_ptr<GilProtocol> make(const GilSetup& setup) { return std::make_unique<NoGil>(setup); }

}  // namespace

extern const GilProtocolType kNoGil;
const GilProtocolType kNoGil = {"no GIL", "a free-threaded build (PEP 703): threads run bytecode in parallel", false, &make};

}  // namespace models
