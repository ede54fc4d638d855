// JSON as gilsim writes it (results, sweep records, fits): exact and
// deterministic. Numbers are printed in their shortest round-trip form,
// independent of the locale, so the same run gives the same bytes anywhere.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace sim {

// A JSON number: the shortest text that reads back as the same double;
// integer values without exponent or decimals ("1600000"); null when not
// finite (JSON has no NaN or infinity).
std::string json_number(double v);
// The same, appended to `out` (writers of millions of numbers: no string each).
void append_json_number(std::string& out, double v);

// A JSON string literal: quotes, with `"`, `\`, and control characters escaped;
// UTF-8 passes through.
std::string json_string(const std::string& s);
// The same, appended to `out`.
void append_json_string(std::string& out, std::string_view s);

// A pretty-printed JSON object or array, one member per line, built by
// appending members in the order they should appear. `indent` is the column
// of its closing bracket; nested blocks take inner().
class JsonBlock {
 public:
  JsonBlock(char open, int indent) : open_(open), indent_(indent) {}
  void member(const std::string& key, const std::string& value);  // value: JSON text
  void element(const std::string& value) { items_.push_back(value); }
  std::string str() const;
  int inner() const { return indent_ + 2; }

 private:
  char open_;
  int indent_;
  std::vector<std::string> items_;
};

}  // namespace sim
