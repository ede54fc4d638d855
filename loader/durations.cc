#include "loader/durations.h"

#include <cctype>
#include <charconv>
#include <cmath>
#include <utility>

namespace loader {

namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

std::string missing_unit(std::string_view number) {
  std::string n(number);
  return "missing unit in '" + n + "': write " + n + "ms, " + n + "us, " + n + "s or " + n + "ns";
}

}  // namespace

std::size_t number_prefix_length(std::string_view text) {
  std::size_t i = 0;
  auto digits = [&] {
    std::size_t start = i;
    while (i < text.size() && is_digit(text[i])) ++i;
    return i - start;
  };
  std::size_t mantissa = digits();
  if (i < text.size() && text[i] == '.') {
    ++i;
    mantissa += digits();
  }
  if (mantissa == 0) return 0;
  // An exponent only if digits follow: in "1es" the "es" is a (bad) unit.
  if (i < text.size() && (text[i] == 'e' || text[i] == 'E')) {
    std::size_t j = i + 1;
    if (j < text.size() && (text[j] == '+' || text[j] == '-')) ++j;
    if (j < text.size() && is_digit(text[j])) {
      i = j;
      digits();
    }
  }
  return i;
}

sim::Time unit_in_ns(std::string_view unit) {
  if (unit == "ns") return sim::kNanosecond;
  // "µs" is written with MICRO SIGN (U+00B5) or GREEK SMALL LETTER MU (U+03BC).
  if (unit == "us" || unit == "\u00b5s" || unit == "\u03bcs") return sim::kMicrosecond;
  if (unit == "ms") return sim::kMillisecond;
  if (unit == "s") return sim::kSecond;
  return 0;
}

ParseResult<double> parse_fractional_duration(std::string_view raw) {
  const std::string_view text = trim(raw);
  if (text.empty()) return {0, "expected a duration like 250ms, got nothing"};
  if (text.front() == '-') return {0, "a duration cannot be negative: '" + std::string(text) + "'"};
  const std::size_t length = number_prefix_length(text);
  if (length == 0)
    return {0, "expected a duration like 250ms or 1.5s, got '" + std::string(text) + "'"};

  const std::string_view number = text.substr(0, length);
  const std::string_view unit = trim(text.substr(length));
  if (unit.empty()) return {0, missing_unit(number)};
  const sim::Time scale = unit_in_ns(unit);
  if (scale == 0)
    return {0, "unknown unit '" + std::string(unit) + "' in '" + std::string(text) +
                   "': the units are " + kUnitList};

  double value = 0;
  std::from_chars(number.data(), number.data() + number.size(), value);
  const double ns = value * static_cast<double>(scale);
  if (!std::isfinite(ns) || ns > kMaxDurationSeconds * 1e9)
    return {0, "duration '" + std::string(text) + "' is too long: at most 1000000s (11.6 days)"};
  return {ns, {}};
}

ParseResult<sim::Time> parse_duration(std::string_view text) {
  ParseResult<double> d = parse_fractional_duration(text);
  if (!d.ok()) return {0, std::move(d.problem)};
  return {static_cast<sim::Time>(std::llround(d.value)), {}};
}

ParseResult<TimeWindow> parse_time_window(std::string_view text) {
  const std::string shown(text);
  const std::size_t dots = text.find("..");
  if (dots == std::string_view::npos)
    return {{}, "expected a window FROM..TO of simulated time (like 2s..2.5s), got '" + shown + "'"};
  const auto end_point = [](std::string_view part) {
    part = trim(part);
    return part == "0" ? ParseResult<sim::Time>{0, {}} : parse_duration(part);
  };
  const ParseResult<sim::Time> from = end_point(text.substr(0, dots));
  if (!from.ok()) return {{}, "the window's start: " + from.problem};
  const ParseResult<sim::Time> to = end_point(text.substr(dots + 2));
  if (!to.ok()) return {{}, "the window's end: " + to.problem};
  if (to.value <= from.value)
    return {{}, "the window '" + shown + "' is empty: its end must come after its start"};
  return {{from.value, to.value}, {}};
}

ParseResult<double> parse_rate(std::string_view raw) {
  const std::string_view text = trim(raw);
  const std::string shown(text);
  if (!text.empty() && text.front() == '-')
    return {0, "a rate must be above 0, got '" + shown + "'"};
  const std::size_t length = number_prefix_length(text);
  if (length == 0) return {0, "expected a rate like 200/s, got '" + shown + "': write " + kRateForms};
  const std::string_view number = text.substr(0, length);
  std::string_view rest = trim(text.substr(length));
  if (rest.empty())
    return {0, "missing unit in rate '" + shown + "': write " + std::string(number) + "/s, " +
                   std::string(number) + "/ms or " + std::string(number) + "/min"};
  if (rest.front() != '/')
    return {0, "unknown rate '" + shown + "': write " + kRateForms};
  const std::string_view unit = trim(rest.substr(1));
  // Per second, per millisecond, per minute: the units rates are quoted in.
  double per = 0;
  if (unit == "s") per = 1;
  else if (unit == "ms") per = 1000;
  else if (unit == "min") per = 1.0 / 60;
  else
    return {0, "unknown unit '/" + std::string(unit) + "' in rate '" + shown + "': write " + kRateForms};
  double value = 0;
  const auto parsed = std::from_chars(number.data(), number.data() + number.size(), value);
  if (parsed.ec == std::errc::result_out_of_range) return {0, "rate '" + shown + "' is too large"};
  const double rate = value * per;
  if (!std::isfinite(rate)) return {0, "rate '" + shown + "' is too large"};
  if (rate <= 0) return {0, "a rate must be above 0, got '" + shown + "'"};
  return {rate, {}};
}

}  // namespace loader
