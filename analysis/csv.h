// A small RFC 4180 CSV reader for sweep results: a header row, then records of
// as many fields. Fields may be quoted ("a,b", "say ""hi"""), quoted fields may
// hold line breaks, and lines end in CRLF or LF. Blank lines are skipped.
// Anything else malformed is a CsvError with its line, never a guess.
#pragma once

#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace analysis {

class CsvError : public std::runtime_error {
 public:
  // `line` and `column` are 1-based (0: no place, e.g. a file that cannot be
  // read); `source_line` is the text of that line, or empty.
  CsvError(std::string file, int line, int column, std::string message, std::string source_line);
  const std::string& file() const { return file_; }
  int line() const { return line_; }
  int column() const { return column_; }
  const std::string& message() const { return message_; }
  const std::string& source_line() const { return source_line_; }

 private:
  std::string file_;
  int line_, column_;
  std::string message_, source_line_;
};

struct CsvRecord {
  int line = 0;  // where the record starts, 1-based
  std::vector<std::string> fields;
};

struct CsvTable {
  std::string file;
  std::vector<std::string> header;
  std::vector<CsvRecord> records;

  // The index of the column named `name`, or -1.
  int column(std::string_view name) const;
  // The text of line `line` of the file (for error messages), or empty.
  std::string line_text(int line) const;

  std::string text;  // the whole file, kept for line_text()
};

// Parses `text`; `file` names it in errors. Throws CsvError.
CsvTable parse_csv(std::string text, const std::string& file);
// Reads and parses a file. Throws CsvError (a missing or unreadable file too).
CsvTable read_csv_file(const std::string& path);

// A cell as a number: decimal or exponent notation, "nan", "inf", "-inf", as
// the sweep CSV writes them; nothing else (no spaces, no "+", no empty cell).
// Locale-independent.
std::optional<double> parse_number(std::string_view cell);

}  // namespace analysis
