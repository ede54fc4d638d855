#include "analysis/csv.h"

#include <charconv>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace analysis {

namespace {

// "file:line: error: message". Appended piece by piece: GCC 12 warns falsely
// (-Wrestrict) on ":" + to_string().
std::string render(const std::string& file, int line, const std::string& message) {
  std::string out = file;
  if (line > 0) {
    out += ':';
    out += std::to_string(line);
  }
  out += ": error: ";
  out += message;
  return out;
}

}  // namespace

CsvError::CsvError(std::string file, int line, int column, std::string message,
                   std::string source_line)
    : std::runtime_error(render(file, line, message)),
      file_(std::move(file)),
      line_(line),
      column_(column),
      message_(std::move(message)),
      source_line_(std::move(source_line)) {}

int CsvTable::column(std::string_view name) const {
  for (std::size_t i = 0; i < header.size(); ++i)
    if (header[i] == name) return static_cast<int>(i);
  return -1;
}

std::string CsvTable::line_text(int line) const {
  std::size_t start = 0;
  for (int l = 1; l < line; ++l) {
    start = text.find('\n', start);
    if (start == std::string::npos) return {};
    ++start;
  }
  std::size_t end = text.find('\n', start);
  std::string s = text.substr(start, end == std::string::npos ? std::string::npos : end - start);
  if (!s.empty() && s.back() == '\r') s.pop_back();
  return s;
}

namespace {

// Walks the text once, record by record, keeping line and column for errors.
class Parser {
 public:
  explicit Parser(CsvTable& t) : t_(t), s_(t.text) {}

  // The next record's fields; false at the end of the text.
  bool next(CsvRecord& rec) {
    skip_blank_lines();
    if (pos_ >= s_.size()) return false;
    rec.line = line_;
    rec.fields.clear();
    while (true) {
      rec.fields.push_back(field());
      if (pos_ >= s_.size()) return true;
      char c = s_[pos_];
      if (c == ',') {
        advance();
        continue;
      }
      end_of_line();
      return true;
    }
  }

 private:
  [[noreturn]] void fail(int line, int column, const std::string& message) const {
    throw CsvError(t_.file, line, column, message, t_.line_text(line));
  }

  void advance() {
    if (s_[pos_] == '\n') {
      ++line_;
      column_ = 1;
    } else {
      ++column_;
    }
    ++pos_;
  }

  void skip_blank_lines() {
    while (pos_ < s_.size() && (s_[pos_] == '\n' || (s_[pos_] == '\r' && pos_ + 1 < s_.size() &&
                                                     s_[pos_ + 1] == '\n')))
      advance();
  }

  // At a line break (LF or CRLF) after a field.
  void end_of_line() {
    if (s_[pos_] == '\r' && pos_ + 1 < s_.size() && s_[pos_ + 1] == '\n') advance();
    if (s_[pos_] != '\n') fail(line_, column_, "a lone carriage return; lines end in LF or CRLF");
    advance();
  }

  std::string field() {
    std::string out;
    if (pos_ < s_.size() && s_[pos_] == '"') {
      int start_line = line_, start_column = column_;
      advance();
      while (true) {
        if (pos_ >= s_.size())
          fail(start_line, start_column, "a quoted field is not closed (a \" is missing)");
        char c = s_[pos_];
        if (c == '"') {
          if (pos_ + 1 < s_.size() && s_[pos_ + 1] == '"') {
            out += '"';
            advance();
            advance();
            continue;
          }
          advance();
          break;
        }
        out += c;
        advance();
      }
      if (pos_ < s_.size() && s_[pos_] != ',' && s_[pos_] != '\n' && s_[pos_] != '\r')
        fail(line_, column_,
             "text after a quoted field's closing quote; expected ',' or the end of the line "
             "(a quote inside a quoted field is written \"\")");
      return out;
    }
    while (pos_ < s_.size() && s_[pos_] != ',' && s_[pos_] != '\n' && s_[pos_] != '\r') {
      if (s_[pos_] == '"')
        fail(line_, column_,
             "a quote inside an unquoted field; quote the whole field and double the quote");
      out += s_[pos_];
      advance();
    }
    return out;
  }

  CsvTable& t_;
  const std::string& s_;
  std::size_t pos_ = 0;
  int line_ = 1, column_ = 1;
};

}  // namespace

CsvTable parse_csv(std::string text, const std::string& file) {
  CsvTable t;
  t.file = file;
  t.text = std::move(text);
  Parser p(t);
  CsvRecord header;
  if (!p.next(header)) throw CsvError(file, 0, 0, "the file is empty; expected a header line", "");
  t.header = std::move(header.fields);
  for (std::size_t i = 0; i < t.header.size(); ++i)
    for (std::size_t j = 0; j < i; ++j)
      if (t.header[i] == t.header[j])
        throw CsvError(file, header.line, 0, "column '" + t.header[i] + "' appears twice in the header",
                       t.line_text(header.line));
  CsvRecord rec;
  while (p.next(rec)) {
    if (rec.fields.size() != t.header.size())
      throw CsvError(file, rec.line, 0,
                     "expected " + std::to_string(t.header.size()) + " fields as in the header, found " +
                         std::to_string(rec.fields.size()),
                     t.line_text(rec.line));
    t.records.push_back(std::move(rec));
    rec = CsvRecord();
  }
  return t;
}

CsvTable read_csv_file(const std::string& path) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec))
    throw CsvError(path, 0, 0, "is a directory, not a CSV file", "");
  std::ifstream in(path, std::ios::binary);
  if (!in) throw CsvError(path, 0, 0, "cannot read the file (no such file, or no permission)", "");
  std::ostringstream s;
  s << in.rdbuf();
  if (in.bad()) throw CsvError(path, 0, 0, "error while reading the file", "");
  return parse_csv(s.str(), path);
}

std::optional<double> parse_number(std::string_view cell) {
  if (cell.empty()) return std::nullopt;
  double v = 0;
  auto [end, ec] = std::from_chars(cell.data(), cell.data() + cell.size(), v);
  // Out of range (1e999) is not a number the sweep writes; refuse it.
  if (ec != std::errc() || end != cell.data() + cell.size()) return std::nullopt;
  return v;
}

}  // namespace analysis
