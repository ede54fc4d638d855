#include "loader/schema.h"

#include <array>
#include <charconv>
#include <cmath>

namespace loader {

std::string Naming::where(const std::string& key) const {
  if (key == kNameKey && !item.empty()) return item + " name";
  if (!of.empty()) return key + " of " + of;
  return prefix + key;
}

std::string format_number(double x) {
  std::array<char, 32> buf{};
  const auto [end, ec] = std::to_chars(buf.data(), buf.data() + buf.size(), x);
  return ec == std::errc() ? std::string(buf.data(), end) : std::string("?");
}

std::string format_duration(sim::Time t) {
  if (t == 0) return "0s";
  struct Unit {
    sim::Time ns;
    const char* name;
  };
  static constexpr Unit units[] = {{sim::kSecond, "s"}, {sim::kMillisecond, "ms"}, {sim::kMicrosecond, "us"}, {1, "ns"}};
  const sim::Time magnitude = t < 0 ? -t : t;
  for (const Unit& u : units)
    if (magnitude >= u.ns || u.ns == 1) {
      // Three decimals at most: 13.7ms, not 13.700000000000001ms.
      const double value = std::round(static_cast<double>(t) / static_cast<double>(u.ns) * 1000) / 1000;
      return format_number(value) + u.name;
    }
  return {};
}

std::string needs_message(const std::string& label, const std::string& key, const std::string& needs,
                          const std::string& example) {
  std::string message = label + (key == kNameKey ? " needs a '" : " needs '") + key + "'" + needs;
  if (!example.empty()) message += ": " + example;
  return message;
}

std::string item_label(const std::vector<YamlEntry>& entries, const std::string& kind, const std::string& unnamed) {
  const YamlEntry* name = find_entry(entries, kNameKey);
  return name && name->value.IsScalar() ? kind + " '" + name->value.Scalar() + "'" : unnamed;
}

sim::Time read_bounded_duration(const YamlSource& src, const YAML::Node& node, const std::string& where,
                                const Limits& limits) {
  const sim::Time t = read_duration(src, node, where);
  if (limits.above_zero && t <= 0) src.fail(node, where + " must be above 0");
  if (t < limits.low) src.fail(node, where + " must be at least " + format_duration(limits.low));
  return t;
}

namespace schema_detail {

std::string type_text(ValueType type, const Limits& limits, const std::string& choices, const char* items) {
  const bool holds = !std::string(items).empty();
  switch (type) {
    case ValueType::Duration:
      if (limits.above_zero) return "duration, above 0";
      if (limits.low > 0) return "duration, at least " + format_duration(limits.low);
      return "duration";
    case ValueType::PerByte:
      return "duration per byte";
    case ValueType::Distribution:
      return "duration or distribution";
    case ValueType::Integer:
      if (limits.high == INT64_MAX) return "integer, at least " + std::to_string(limits.low);
      return "integer, " + std::to_string(limits.low) + " to " + std::to_string(limits.high);
    case ValueType::Number:
      return "number";
    case ValueType::Bool:
      return "true or false";
    case ValueType::Text:
      return "text";
    case ValueType::Identifier:
      return "name";
    case ValueType::Word:
      return choices;
    case ValueType::Rate:
      return "rate";
    case ValueType::Size:
      return "size";
    case ValueType::Cores:
      return "list of core numbers";
    case ValueType::Operations:
      return "list of operations";
    case ValueType::Expression:
      return "expression";
    case ValueType::Map:
      return holds ? std::string("map, see ") + items : "map";
    case ValueType::List:
      return holds ? std::string("list of ") + items : "list";
  }
  return {};
}

}  // namespace schema_detail

}  // namespace loader
