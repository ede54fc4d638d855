#include "loader/yaml_values.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>

#include "loader/durations.h"
#include "loader/sizes.h"

namespace loader {

namespace {

[[noreturn]] void expected(const YamlSource& src, const YAML::Node& node, const std::string& what,
                           const std::string& where) {
  src.fail(node, "expected " + what + " for " + where + ", got " + describe(node));
}

// "1_000_000" -> "1000000", but only between digits: "_1" stays invalid.
std::string without_digit_separators(const std::string& s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const bool between_digits = s[i] == '_' && i > 0 && i + 1 < s.size() &&
                                std::isdigit(static_cast<unsigned char>(s[i - 1])) &&
                                std::isdigit(static_cast<unsigned char>(s[i + 1]));
    if (!between_digits) out += s[i];
  }
  return out;
}

bool parse_whole(const std::string& s, double& out) {
  std::string t = s;
  if (!t.empty() && t.front() == '+') t.erase(0, 1);
  const auto [end, ec] = std::from_chars(t.data(), t.data() + t.size(), out);
  return ec == std::errc() && end == t.data() + t.size() && std::isfinite(out);
}

}  // namespace

std::string join_words(const std::vector<std::string>& words, const std::string& last, const std::string& separator) {
  std::string out;
  for (std::size_t i = 0; i < words.size(); ++i)
    out += (i == 0 ? "" : i + 1 == words.size() ? last : separator) + words[i];
  return out;
}

std::string describe(const YAML::Node& node) {
  switch (node.Type()) {
    case YAML::NodeType::Map:
      return "a map";
    case YAML::NodeType::Sequence:
      return "a list";
    case YAML::NodeType::Scalar: {
      std::string s = node.Scalar();
      if (s.size() > 40) s = s.substr(0, 37) + "...";
      return "'" + s + "'";
    }
    default:
      return "nothing";
  }
}

std::vector<YamlEntry> map_entries(const YamlSource& src, const YAML::Node& node,
                                   const std::string& what) {
  std::vector<YamlEntry> entries;
  if (node.IsNull()) return entries;  // `machine:` with nothing: no settings
  if (!node.IsMap()) src.fail(node, "expected a map for " + what + ", got " + describe(node));
  for (auto it = node.begin(); it != node.end(); ++it) {
    const YAML::Node key = it->first;
    if (!key.IsScalar()) src.fail(key, "expected a key name in " + what + ", got " + describe(key));
    for (const auto& e : entries)
      if (e.key == key.Scalar())
        src.fail(key, "duplicate key '" + e.key + "' in " + what + " (first on line " +
                          std::to_string(src.pos(e.key_node.Mark()).line) + ")");
    entries.push_back(YamlEntry{key.Scalar(), key, it->second});
  }
  return entries;
}

void check_keys(const YamlSource& src, const std::vector<YamlEntry>& entries,
                const std::vector<std::string>& allowed, const std::string& in) {
  for (const auto& e : entries) {
    if (std::find(allowed.begin(), allowed.end(), e.key) != allowed.end()) continue;
    if (const char* why = not_modelled(e.key)) src.fail(e.key_node, "unknown key '" + e.key + "' " + in + ": " + why);
    const std::string hint = did_you_mean(e.key, allowed);
    src.fail(e.key_node, "unknown key '" + e.key + "' " + in +
                             (hint.empty() ? "; the keys are: " + join_words(allowed, ", ") : hint));
  }
}

const YamlEntry* find_entry(const std::vector<YamlEntry>& entries, const std::string& key) {
  for (const auto& e : entries)
    if (e.key == key) return &e;
  return nullptr;
}

std::vector<YAML::Node> list_items(const YamlSource& src, const YAML::Node& node,
                                   const std::string& what) {
  if (!node.IsSequence()) src.fail(node, "expected a list for " + what + ", got " + describe(node));
  return {node.begin(), node.end()};
}

bool read_bool(const YamlSource& src, const YAML::Node& node, const std::string& where) {
  const std::string v = read_string(src, node, where);
  if (v != "true" && v != "false") src.fail(node, where + " is true or false, got '" + v + "'");
  return v == "true";
}

std::string read_string(const YamlSource& src, const YAML::Node& node, const std::string& where) {
  if (!node.IsScalar()) expected(src, node, "text", where);
  return node.Scalar();
}

bool is_identifier(const std::string& s) {
  if (s.empty() || !(std::isalpha(static_cast<unsigned char>(s[0])) || s[0] == '_')) return false;
  return std::all_of(s.begin(), s.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
  });
}

std::string read_identifier(const YamlSource& src, const YAML::Node& node,
                            const std::string& where) {
  const std::string s = read_string(src, node, where);
  if (!is_identifier(s))
    src.fail(node, where + " '" + s +
                       "' is not a valid name: use letters, digits and '_', not starting with a "
                       "digit, so that it can stand in expressions");
  return s;
}

std::int64_t read_int(const YamlSource& src, const YAML::Node& node, const std::string& where,
                      std::int64_t low, std::int64_t high) {
  if (!node.IsScalar()) expected(src, node, "an integer", where);
  const std::string text = without_digit_separators(node.Scalar());
  std::int64_t value = 0;
  const char* begin = text.data() + (!text.empty() && text.front() == '+' ? 1 : 0);
  const auto [end, ec] = std::from_chars(begin, text.data() + text.size(), value);
  const bool integer_text = end == text.data() + text.size() && begin != end;
  // "between 1 and 9223372036854775807" would be noise: only the low end matters.
  const std::string range = high == INT64_MAX
                                ? "at least " + std::to_string(low)
                                : "between " + std::to_string(low) + " and " + std::to_string(high);
  if (integer_text && ec == std::errc::result_out_of_range)
    src.fail(node, where + " must be " + range + ", got " + node.Scalar());
  if (!integer_text || ec != std::errc()) {
    double d = 0;
    // 1e6 is a fine way to write a million; 2.5 is not an integer.
    if (!parse_whole(text, d) || d != std::floor(d)) expected(src, node, "an integer", where);
    if (d < static_cast<double>(low) || d > static_cast<double>(high) || std::fabs(d) >= 9.2e18)
      src.fail(node, where + " must be " + range + ", got " + node.Scalar());
    value = static_cast<std::int64_t>(d);
  }
  if (value < low || value > high)
    src.fail(node, where + " must be " + range + ", got " + node.Scalar());
  return value;
}

double read_number(const YamlSource& src, const YAML::Node& node, const std::string& where) {
  double value = 0;
  if (!node.IsScalar() || !parse_whole(node.Scalar(), value))
    expected(src, node, "a number", where);
  return value;
}

namespace {

// The text of a fixed duration; a distribution is an error here. The
// examples show what to write instead of a distribution and of anything else.
const std::string& fixed_duration_text(const YamlSource& src, const YAML::Node& node,
                                       const std::string& where, const std::string& fixed_example,
                                       const std::string& example) {
  if (node.IsMap())
    src.fail(node, where + " must be a fixed duration (like " + fixed_example + "), not a distribution");
  if (!node.IsScalar()) expected(src, node, "a duration (like " + example + ")", where);
  return node.Scalar();
}

template <typename T>
T value_of(const YamlSource& src, const YAML::Node& node, const ParseResult<T>& parsed) {
  if (!parsed.ok()) src.fail(node, parsed.problem);
  return parsed.value;
}

}  // namespace

sim::Time read_duration(const YamlSource& src, const YAML::Node& node, const std::string& where) {
  return value_of(src, node, parse_duration(fixed_duration_text(src, node, where, "2ms", "250ms")));
}

double read_fractional_duration(const YamlSource& src, const YAML::Node& node,
                                const std::string& where) {
  return value_of(src, node, parse_fractional_duration(fixed_duration_text(src, node, where, "0.5ns", "0.5ns")));
}

double read_rate(const YamlSource& src, const YAML::Node& node, const std::string& where) {
  if (!node.IsScalar()) expected(src, node, std::string("a rate (") + kRateForms + ")", where);
  return value_of(src, node, parse_rate(node.Scalar()));
}

std::int64_t read_size(const YamlSource& src, const YAML::Node& node, const std::string& where) {
  if (!node.IsScalar()) expected(src, node, "a size (like 1KB)", where);
  return value_of(src, node, parse_size(node.Scalar()));
}

}  // namespace loader
