// The text of a YAML scenario file, kept beside its parsed tree so that every
// error can point at its place: file, line, column and the offending line.
#pragma once

#include <yaml-cpp/yaml.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "loader/input_error.h"

namespace loader {

// A whole file's text. A directory, a missing or unreadable file is an
// InputError without a place: "cannot read WHATPATH: the system's reason"
// (`what` is "" or a word and a space, like "profile ").
std::string read_text_file(const std::string& path, const std::string& what);
// The most YAML nodes (scalars, maps, lists) a scenario file may hold with
// its aliases (*name) expanded, each expansion counted: far beyond any real
// scenario (the shipped ones hold a few hundred), and small enough that
// walking them takes well under a second (a sweep axis may list 100,000
// values). A file beyond it is refused before its tree is
// walked (YamlSource::parse).
constexpr std::uint64_t kMaxYamlNodes = 1'000'000;

class YamlSource {
 public:
  YamlSource(std::string file, std::string text);

  const std::string& file() const { return file_; }

  // The file's one document (a Null node for an empty file). Malformed YAML,
  // a second document, and more than kMaxYamlNodes nodes are InputErrors.
  YAML::Node parse() const;

  // yaml-cpp's marks are 0-based; SourcePos is 1-based. A null mark (a node
  // built by the loader itself) gives a place without a line.
  SourcePos pos(const YAML::Mark& mark) const;
  // The text of line `number` (1-based), or empty.
  std::string line(int number) const;

  // Where a scalar's text starts: after an opening quote, or on the first
  // line of a block scalar (`|`, `>`). Expression errors count columns from it.
  SourcePos text_start(const YAML::Node& scalar) const;

  [[noreturn]] void fail(const YAML::Mark& mark, std::string message) const;
  [[noreturn]] void fail(const YAML::Node& node, std::string message) const;
  [[noreturn]] void fail(const SourcePos& pos, std::string message) const;

 private:
  void reject_second_document() const;

  std::string file_;
  std::string text_;
  std::vector<std::string> lines_;
};

}  // namespace loader
