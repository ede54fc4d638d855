#include "loader/input_error.h"

#include <utility>

namespace loader {

namespace {

// The caret line under `source_line`: whitespace up to the column, keeping
// tabs as tabs so that the caret lines up in a terminal. Columns count bytes
// (as yaml-cpp and the expression parser do), so UTF-8 continuation bytes
// ("µs") take no room of their own.
std::string caret_under(const std::string& source_line, int column) {
  std::string pad;
  for (int i = 0; i + 1 < column; ++i) {
    if (i >= static_cast<int>(source_line.size())) {
      pad += ' ';
      continue;
    }
    unsigned char c = static_cast<unsigned char>(source_line[i]);
    if (c == '\t') {
      pad += '\t';
    } else if ((c & 0xC0) != 0x80) {
      pad += ' ';
    }
  }
  return pad + "^";
}

std::string render(const SourcePos& pos, const std::string& message,
                   const std::string& source_line) {
  std::string out;
  if (!pos.file.empty()) out += pos.file;
  if (pos.line > 0) {
    // Appended piece by piece: GCC 12 warns falsely (-Wrestrict) on ":" + to_string().
    out += ':';
    out += std::to_string(pos.line);
    if (pos.column > 0) {
      out += ':';
      out += std::to_string(pos.column);
    }
  }
  out += out.empty() ? "error: " : ": error: ";
  out += message;
  if (pos.line > 0 && !source_line.empty()) {
    out += "\n  " + source_line;
    if (pos.column > 0) out += "\n  " + caret_under(source_line, pos.column);
  }
  return out;
}

}  // namespace

InputError::InputError(SourcePos pos, std::string message, std::string source_line)
    : std::runtime_error(render(pos, message, source_line)),
      pos_(std::move(pos)),
      message_(std::move(message)) {}

}  // namespace loader
