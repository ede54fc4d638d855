// Text helpers shared by the sinks that write text formats (JSON, SVG).
#pragma once

#include <cstddef>
#include <string_view>

namespace sim {

// Length of the well-formed UTF-8 sequence at s[i], or 0 if there is none.
// Strict JSON readers and XML parsers reject malformed UTF-8, so the sinks
// replace such bytes with U+FFFD.
std::size_t utf8_length(std::string_view s, std::size_t i);

}  // namespace sim
