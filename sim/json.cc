#include "sim/json.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>

namespace sim {

void append_json_number(std::string& out, double v) {
  if (!std::isfinite(v)) {
    out += "null";
    return;
  }
  if (v == 0) {  // and -0: same value, one spelling
    out += '0';
    return;
  }
  // Below 1e21 an integer-valued double prints exactly in fixed notation.
  // The program never calls setlocale: the C locale's '.' is in force.
  if (std::fabs(v) < 1e21 && v == std::trunc(v)) {
    // Most metrics are counts: as an integer, the same digits as "%.0f"
    // without printf's floating-point path (a sweep writes millions).
    if (std::fabs(v) < 9.2e18) {
      char buf[24];
      auto res = std::to_chars(buf, buf + sizeof buf, static_cast<long long>(v));
      out.append(buf, res.ptr);
      return;
    }
    char buf[64];
    const int n = std::snprintf(buf, sizeof buf, "%.0f", v);
    out.append(buf, static_cast<std::size_t>(n > 0 ? n : 0));
    return;
  }
  // Shortest round-trip form (std::to_chars is locale-independent and exact).
  char buf[64];
  auto res = std::to_chars(buf, buf + sizeof buf, v);
  out.append(buf, res.ptr);
}

std::string json_number(double v) {
  std::string out;
  append_json_number(out, v);
  return out;
}

void append_json_string(std::string& out, std::string_view s) {
  // Most strings (metric names: a sweep writes millions) need no escape:
  // copied whole, not a character at a time.
  const bool plain = std::none_of(s.begin(), s.end(), [](char ch) {
    return ch == '"' || ch == '\\' || static_cast<unsigned char>(ch) < 0x20;
  });
  out += '"';
  if (plain) {
    out += s;
    out += '"';
    return;
  }
  for (char ch : s) {
    unsigned char c = static_cast<unsigned char>(ch);
    switch (ch) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\t': out += "\\t"; break;
      case '\r': out += "\\r"; break;
      default:
        if (c < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", c);
          out += buf;
        } else {
          out += ch;  // UTF-8 passes through
        }
    }
  }
  out += '"';
}

std::string json_string(const std::string& s) {
  std::string out;
  out.reserve(s.size() + 2);
  append_json_string(out, s);
  return out;
}

std::string JsonBlock::str() const {
  char close = open_ == '{' ? '}' : ']';
  if (items_.empty()) return std::string{open_, close};
  std::string pad(static_cast<std::size_t>(indent_ + 2), ' ');
  std::string out(1, open_);
  out += "\n";
  for (std::size_t i = 0; i < items_.size(); ++i)
    out += pad + items_[i] + (i + 1 < items_.size() ? ",\n" : "\n");
  return out + std::string(static_cast<std::size_t>(indent_), ' ') + close;
}

void JsonBlock::member(const std::string& key, const std::string& value) {
  items_.push_back(json_string(key) + ": " + value);
}

}  // namespace sim
