#include "loader/yaml_source.h"

#include <yaml-cpp/eventhandler.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <cstdint>
#include <sstream>
#include <unordered_map>
#include <utility>

namespace loader {

std::string read_text_file(const std::string& path, const std::string& what) {
  // No place in a file to point at: the message names the file instead.
  auto cannot_read = [&](const std::string& reason) {
    return InputError(SourcePos{}, "cannot read " + what + path + ": " + reason);
  };
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) throw cannot_read("it is a directory");
  std::ifstream in(path, std::ios::binary);
  if (!in) throw cannot_read(std::strerror(errno));
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) throw cannot_read(std::strerror(errno));
  return text.str();
}

YamlSource::YamlSource(std::string file, std::string text)
    : file_(std::move(file)), text_(std::move(text)) {
  std::size_t start = 0;
  while (start <= text_.size()) {
    std::size_t end = text_.find('\n', start);
    if (end == std::string::npos) end = text_.size();
    std::string l = text_.substr(start, end - start);
    if (!l.empty() && l.back() == '\r') l.pop_back();
    lines_.push_back(std::move(l));
    start = end + 1;
  }
}

namespace {

// Watches one document's parse events: is there anything in it, and where;
// and how many nodes it holds once its aliases are expanded.
//
// yaml-cpp's YAML::Load does not copy an alias's node (both share it), but
// everything that walks the tree afterwards does: the loader's readers, the
// merge of a variant's settings, the emitter of an error message. A
// "billion laughs" of a few hundred bytes then walks 10^9 nodes. So the
// expanded size is counted here, on the parser's events, before anything
// walks the tree: each anchored node's expanded size is remembered when its
// definition ends, and an alias adds that size (one addition, not a copy).
// The running total stops the parse as soon as it passes kMaxYamlNodes.
class DocumentProbe : public YAML::EventHandler {
 public:
  bool has_content = false;
  YAML::Mark first = YAML::Mark::null_mark();
  // Where the expanded size first passed kMaxYamlNodes (null mark: never).
  YAML::Mark too_large = YAML::Mark::null_mark();
  // Where an alias names a collection that holds it (`&a [*a]`), a tree
  // without end for whatever walks it.
  YAML::Mark cycle = YAML::Mark::null_mark();
  struct Refused {};  // thrown at too_large or cycle: the parse stops there

  void OnDocumentStart(const YAML::Mark&) override {}
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark& mark, YAML::anchor_t anchor) override { leaf(mark, anchor); }
  void OnAlias(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    saw(mark);
    const auto found = sizes_.find(anchor);
    if (found != sizes_.end() && found->second == kOpen) {
      cycle = mark;
      throw Refused{};
    }
    add(mark, found == sizes_.end() ? 1 : found->second);
  }
  void OnScalar(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                const std::string&) override {
    saw(mark);
    leaf(mark, anchor);
  }
  void OnSequenceStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                       YAML::EmitterStyle::value) override {
    saw(mark);
    open(mark, anchor);
  }
  void OnSequenceEnd() override { close(); }
  void OnMapStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                  YAML::EmitterStyle::value) override {
    saw(mark);
    open(mark, anchor);
  }
  void OnMapEnd() override { close(); }

 private:
  // A collection being read: its anchor and its expanded size so far.
  struct Open {
    YAML::anchor_t anchor;
    std::uint64_t size;
  };

  void saw(const YAML::Mark& mark) {
    if (!has_content) first = mark;
    has_content = true;
  }
  void leaf(const YAML::Mark& mark, YAML::anchor_t anchor) {
    if (anchor != YAML::NullAnchor) sizes_[anchor] = 1;
    add(mark, 1);
  }
  // A collection counts itself in its own size; its parent adds that size
  // when it closes.
  void open(const YAML::Mark& mark, YAML::anchor_t anchor) {
    count(mark, 1);
    open_.push_back(Open{anchor, 1});
    if (anchor != YAML::NullAnchor) sizes_[anchor] = kOpen;
  }
  void close() {
    if (open_.empty()) return;
    const Open done = open_.back();
    open_.pop_back();
    if (done.anchor != YAML::NullAnchor) sizes_[done.anchor] = done.size;
    if (!open_.empty()) open_.back().size += done.size;  // already in total_
  }
  // A leaf or an alias: n nodes in the collection being read.
  void add(const YAML::Mark& mark, std::uint64_t n) {
    if (!open_.empty()) open_.back().size += n;
    count(mark, n);
  }
  // Sizes stay below 2 * kMaxYamlNodes: the first addition past the cap stops.
  void count(const YAML::Mark& mark, std::uint64_t n) {
    total_ += n;
    if (total_ > kMaxYamlNodes && too_large.is_null()) {
      too_large = mark;
      throw Refused{};
    }
  }

  static constexpr std::uint64_t kOpen = ~std::uint64_t{0};  // an anchored collection being read

  std::vector<Open> open_;
  std::unordered_map<YAML::anchor_t, std::uint64_t> sizes_;
  std::uint64_t total_ = 0;
};

// Whether a line holds no YAML value: blank, a comment, a document marker or
// a directive.
bool is_blank_line(const std::string& line) {
  const std::size_t start = line.find_first_not_of(" \t");
  if (start == std::string::npos || line[start] == '#' || line[start] == '%') return true;
  const std::string rest = line.substr(start, 3);
  return (rest == "---" || rest == "...") &&
         line.find_first_not_of(" \t", start + 3) == std::string::npos;
}

}  // namespace

YAML::Node YamlSource::parse() const {
  // Not YAML::LoadAll: in yaml-cpp 0.7 it loops forever on some malformed
  // input, such as a file starting with ',' (yaml-cpp issue #1040, fixed by
  // PR #1319 after 0.7). YAML::Load reads the first document; a probe of at
  // most two documents finds a second one.
  const YAML::Node root = [&] {
    try {
      return YAML::Load(text_);
    } catch (const YAML::Exception& e) {
      fail(e.mark, "malformed YAML: " + e.msg);
    }
  }();
  reject_second_document();
  // The same yaml-cpp bug makes Load return an empty document for such input:
  // say so rather than "the file is empty".
  if (root.IsNull()) {
    for (int n = 1; n <= static_cast<int>(lines_.size()); ++n) {
      const std::string& l = lines_[n - 1];
      if (is_blank_line(l)) continue;
      fail(SourcePos{file_, n, static_cast<int>(l.find_first_not_of(" \t")) + 1},
           "expected a scenario here: a map of keys (name, threads, ...)");
    }
  }
  return root;
}

void YamlSource::reject_second_document() const {
  std::istringstream in(text_);
  YAML::Parser parser(in);
  DocumentProbe first, second;
  try {
    if (!parser.HandleNextDocument(first) || !parser.HandleNextDocument(second)) return;
  } catch (const YAML::Exception& e) {
    fail(e.mark, "malformed YAML: " + e.msg);
  } catch (const DocumentProbe::Refused&) {
    for (const DocumentProbe* probe : {&first, &second})
      if (!probe->cycle.is_null())
        fail(probe->cycle, "this alias names a collection it is inside of: a YAML tree without end");
    fail(first.too_large.is_null() ? second.too_large : first.too_large,
         "the file holds more than " + std::to_string(kMaxYamlNodes) +
             " YAML nodes once its aliases (*name) are expanded: gilsim refuses files that large "
             "(a 'billion laughs'?); write repetition with 'repeat' or 'count' instead");
  }
  // A trailing `---` with nothing after it is harmless; a second scenario is
  // not: gilsim would silently ignore it.
  if (second.has_content)
    fail(second.first, "one scenario per file: this is a second YAML document");
}

SourcePos YamlSource::pos(const YAML::Mark& mark) const {
  if (mark.is_null() || mark.line < 0) return SourcePos{file_, 0, 0};
  return SourcePos{file_, mark.line + 1, mark.column + 1};
}

std::string YamlSource::line(int number) const {
  if (number < 1 || number > static_cast<int>(lines_.size())) return {};
  return lines_[number - 1];
}

SourcePos YamlSource::text_start(const YAML::Node& scalar) const {
  SourcePos p = pos(scalar.Mark());
  const std::string l = line(p.line);
  if (p.line == 0 || p.column > static_cast<int>(l.size())) return p;
  const char first = l[p.column - 1];
  if (first == '"' || first == '\'') {
    ++p.column;
  } else if (first == '|' || first == '>') {
    // The text is on the following lines, indented: the first non-blank one.
    for (int n = p.line + 1; n <= static_cast<int>(lines_.size()); ++n) {
      const std::string& next = lines_[n - 1];
      const std::size_t indent = next.find_first_not_of(' ');
      if (indent == std::string::npos) continue;
      return SourcePos{file_, n, static_cast<int>(indent) + 1};
    }
  }
  return p;
}

void YamlSource::fail(const SourcePos& p, std::string message) const {
  throw InputError(p, std::move(message), line(p.line));
}

void YamlSource::fail(const YAML::Mark& mark, std::string message) const {
  fail(pos(mark), std::move(message));
}

void YamlSource::fail(const YAML::Node& node, std::string message) const {
  fail(pos(node.Mark()), std::move(message));
}

}  // namespace loader
