// Sizes of data as scenario files write them: a number and a unit, `100B`,
// `1KB`, `4MB`, `1.5GiB`, with an optional space between. KB, MB, GB are
// powers of 1000; KiB, MiB, GiB powers of 1024.
#pragma once

#include <cstdint>
#include <string_view>

#include "loader/durations.h"

namespace loader {

// The largest size a scenario may write: 1 TB. Far beyond the arguments or
// result of one call; a larger value is a typo.
inline constexpr std::int64_t kMaxSizeBytes = 1'000'000'000'000;

// Bytes in one `unit` (B, KB, MB, GB, KiB, MiB, GiB); 0 if `unit` is not one.
std::int64_t size_unit_in_bytes(std::string_view unit);

// The units, as an error message lists them.
inline constexpr const char* kSizeUnitList = "B, KB, MB, GB (powers of 1000) and KiB, MiB, GiB (powers of 1024)";

// Parses `text` into whole bytes (rounded to the nearest; a fraction of a
// byte written in B is a problem). A bare number, an unknown unit, a negative
// or a size above 1 TB is a problem, told in words that say what to write.
ParseResult<std::int64_t> parse_size(std::string_view text);

}  // namespace loader
