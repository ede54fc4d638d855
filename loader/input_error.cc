#include "loader/input_error.h"

#include <algorithm>
#include <cctype>
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

std::string lowercase(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// Optimal string alignment distance: Levenshtein plus the transposition of two
// neighbours ("swithc"), the commonest typo, counted as one edit.
std::size_t edit_distance(const std::string& a, const std::string& b) {
  const std::size_t n = a.size(), m = b.size();
  std::vector<std::vector<std::size_t>> d(n + 1, std::vector<std::size_t>(m + 1));
  for (std::size_t i = 0; i <= n; ++i) d[i][0] = i;
  for (std::size_t j = 0; j <= m; ++j) d[0][j] = j;
  for (std::size_t i = 1; i <= n; ++i) {
    for (std::size_t j = 1; j <= m; ++j) {
      std::size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[n][m];
}

}  // namespace

InputError::InputError(SourcePos pos, std::string message, std::string source_line)
    : std::runtime_error(render(pos, message, source_line)),
      pos_(std::move(pos)),
      message_(std::move(message)) {}

std::string closest_match(std::string_view word, const std::vector<std::string>& candidates) {
  // About one typo per three letters, and at least one: "mean" -> "min" (2
  // edits in 4 letters) is a likely slip, "x" -> "io" is not. Case is ignored
  // ("CPU" -> "cpu"). Ties go to the first candidate, so hints are stable.
  const std::string w = lowercase(word);
  const std::size_t limit = std::max<std::size_t>(1, (w.size() + 2) / 3);
  std::string best;
  std::size_t best_distance = limit + 1;
  for (const auto& candidate : candidates) {
    std::size_t d = edit_distance(w, lowercase(candidate));
    if (d >= std::max(w.size(), candidate.size())) continue;  // nothing in common
    if (d < best_distance) {
      best_distance = d;
      best = candidate;
    }
  }
  return best;
}

}  // namespace loader
