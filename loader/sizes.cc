#include "loader/sizes.h"

#include <cctype>
#include <charconv>
#include <cmath>
#include <string>

namespace loader {

namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

const char* const kUnits[] = {"B", "KB", "MB", "GB", "KiB", "MiB", "GiB"};

// `kb` for KB, `mib` for MiB: the unit meant, when only the case is off.
std::string unit_ignoring_case(std::string_view unit) {
  for (const char* u : kUnits) {
    const std::string_view candidate(u);
    if (candidate.size() != unit.size()) continue;
    bool same = true;
    for (std::size_t i = 0; i < unit.size(); ++i)
      same = same && std::tolower(static_cast<unsigned char>(unit[i])) ==
                         std::tolower(static_cast<unsigned char>(candidate[i]));
    if (same) return u;
  }
  return {};
}

}  // namespace

std::int64_t size_unit_in_bytes(std::string_view unit) {
  if (unit == "B") return 1;
  if (unit == "KB") return 1'000;
  if (unit == "MB") return 1'000'000;
  if (unit == "GB") return 1'000'000'000;
  if (unit == "KiB") return std::int64_t{1} << 10;
  if (unit == "MiB") return std::int64_t{1} << 20;
  if (unit == "GiB") return std::int64_t{1} << 30;
  return 0;
}

ParseResult<std::int64_t> parse_size(std::string_view raw) {
  const std::string_view text = trim(raw);
  const std::string t(text);
  if (text.empty()) return {0, "expected a size like 1KB, got nothing"};
  if (text.front() == '-') return {0, "a size cannot be negative: '" + t + "'"};
  const std::size_t length = number_prefix_length(text);
  if (length == 0) return {0, "expected a size like 100B, 1KB or 4MB, got '" + t + "'"};

  const std::string n(text.substr(0, length));
  const std::string_view unit = trim(text.substr(length));
  if (unit.empty())
    return {0, "missing unit in '" + n + "': write " + n + "B, " + n + "KB, " + n + "MB or " + n +
                   "GB (or KiB, MiB, GiB for powers of 1024)"};
  const std::int64_t scale = size_unit_in_bytes(unit);
  if (scale == 0) {
    const std::string meant = unit_ignoring_case(unit);
    return {0, "unknown unit '" + std::string(unit) + "' in '" + t + "'" +
                   (meant.empty() ? std::string(": the units are ") + kSizeUnitList
                                  : "; did you mean '" + meant + "'?")};
  }

  double value = 0;
  std::from_chars(n.data(), n.data() + n.size(), value);
  const double bytes = value * static_cast<double>(scale);
  if (!std::isfinite(bytes) || bytes > static_cast<double>(kMaxSizeBytes))
    return {0, "size '" + t + "' is too large: at most 1000GB (1 TB)"};
  if (scale == 1 && bytes != std::floor(bytes))
    return {0, "size '" + t + "' is not a whole number of bytes"};
  return {static_cast<std::int64_t>(std::llround(bytes)), {}};
}

}  // namespace loader
