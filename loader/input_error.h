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

#include "loader/did_you_mean.h"  // closest_match, for the messages

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

}  // namespace loader
