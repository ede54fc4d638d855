// Bad input as a value with a place: file, line and column (1-based), the
// offending line, and what was expected. Rendered Ninja-style:
//
//   scenarios/x.yaml:12:5: error: unknown key 'swich_interval' in runtime; did you mean 'switch_interval'?
//     swich_interval: 5ms
//     ^
//
// The command line turns it into exit code 2.
#pragma once

#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace loader {

struct SourcePos {
  std::string file;
  int line = 0;    // 1-based; 0 when there is no place (a command-line value)
  int column = 0;  // 1-based
};

class InputError : public std::runtime_error {
 public:
  // `source_line` is the text of the offending line (without newline), or empty.
  InputError(SourcePos pos, std::string message, std::string source_line = {});
  const SourcePos& pos() const { return pos_; }
  const std::string& message() const { return message_; }

 private:
  SourcePos pos_;
  std::string message_;
};

// The candidate closest to `word` by edit distance, if it is close enough to
// be a likely typo; empty otherwise. For "did you mean" hints.
std::string closest_match(std::string_view word, const std::vector<std::string>& candidates);

}  // namespace loader
