#include "models/gil_protocol.h"

#include "models/simulation.h"

namespace models {

void GilProtocol::on_timeout(int) {
  throw InvariantViolation("a GIL timer expired for a protocol without timed waits");
}

}  // namespace models
