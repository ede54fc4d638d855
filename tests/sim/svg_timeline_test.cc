#include "sim/svg_timeline.h"

#include <doctest/doctest.h>

#include <cctype>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "tests/support/temp_dir.h"

namespace fs = std::filesystem;

using testing::read_text;
using testing::TempDir;

namespace {

// Tags nest and close, attribute values are quoted, and text holds no raw '<'
// and only the predefined entities: enough that a viewer parses the file.
bool well_formed_xml(const std::string& s) {
  std::vector<std::string> open;
  bool seen_root = false;
  for (std::size_t i = 0; i < s.size();) {
    if (s[i] == '&') {
      bool known = false;
      for (const char* e : {"&amp;", "&lt;", "&gt;", "&quot;", "&apos;"})
        known |= s.compare(i, std::strlen(e), e) == 0;
      if (!known) return false;
      ++i;
      continue;
    }
    if (s[i] != '<') {
      if (open.empty() && s[i] != '\n') return false;  // text outside the root
      ++i;
      continue;
    }
    const bool closing = i + 1 < s.size() && s[i + 1] == '/';
    std::size_t j = i + (closing ? 2 : 1), name_start = j;
    while (j < s.size() && (std::isalnum(static_cast<unsigned char>(s[j])) || s[j] == '-')) ++j;
    const std::string name = s.substr(name_start, j - name_start);
    if (name.empty()) return false;
    bool in_value = false;
    for (; j < s.size() && (in_value || s[j] != '>'); ++j) {
      if (s[j] == '"') in_value = !in_value;
      if (s[j] == '<') return false;
    }
    if (j == s.size()) return false;
    const bool self_closing = s[j - 1] == '/';
    if (closing) {
      if (open.empty() || open.back() != name) return false;
      open.pop_back();
    } else if (!self_closing) {
      if (open.empty() && seen_root) return false;  // a second root
      seen_root = true;
      open.push_back(name);
    }
    i = j + 1;
  }
  return seen_root && open.empty();
}

struct Rect {
  int x, y, width;
  std::string fill;
};

// The value of attribute `name` in the tag starting at `tag`.
std::string attr(const std::string& svg, std::size_t tag, const std::string& name) {
  const std::size_t end = svg.find('>', tag);
  const std::size_t at = svg.find(" " + name + "=\"", tag);
  REQUIRE(at < end);
  const std::size_t from = at + name.size() + 3;
  return svg.substr(from, svg.find('"', from) - from);
}

// The coloured rectangles of state, by row name (row backgrounds left out).
// Row labels are the right-aligned texts; a row's rectangles share its y.
std::map<std::string, std::vector<Rect>> rows_of(const std::string& svg) {
  std::map<int, std::string> row_at;
  const std::string label = "<text x=\"174\" ";
  for (std::size_t p = svg.find(label); p != std::string::npos; p = svg.find(label, p + 1)) {
    const std::size_t text = svg.find('>', p) + 1;
    row_at[std::stoi(attr(svg, p, "y")) - 11] = svg.substr(text, svg.find('<', text) - text);
  }
  std::map<std::string, std::vector<Rect>> rows;
  for (std::size_t p = svg.find("<rect "); p != std::string::npos; p = svg.find("<rect ", p + 1)) {
    if (attr(svg, p, "height") != "14" || attr(svg, p, "fill") == "#f2f2f2") continue;
    Rect r{std::stoi(attr(svg, p, "x")), std::stoi(attr(svg, p, "y")), std::stoi(attr(svg, p, "width")),
           attr(svg, p, "fill")};
    REQUIRE(row_at.count(r.y) == 1);
    rows[row_at[r.y]].push_back(r);
  }
  return rows;
}

constexpr int kPlotX = 180;
constexpr int kPlotWidth = 1200 - 180 - 30;

constexpr sim::SliceStyle kA{"running", "#4caf50"};
constexpr sim::SliceStyle kB{"waiting", "#f44336"};

}  // namespace

TEST_CASE("SvgTimeline: halves of a run draw as halves after many doublings") {
  TempDir dir;
  {
    sim::SvgTimeline svg(dir.file("t.svg"), "halves");
    svg.track(1, 1, "T1", 0);
    // Many short slices, so the buckets double ~33 times while they arrive.
    for (sim::Time t = 0; t < 5 * sim::kSecond; t += sim::kMillisecond)
      svg.slice(1, t, t + sim::kMillisecond, kA);
    svg.slice(1, 5 * sim::kSecond, 10 * sim::kSecond, kB);
    svg.finish(10 * sim::kSecond);
  }
  const std::string text = read_text(dir.file("t.svg"));
  REQUIRE(well_formed_xml(text));
  const auto rows = rows_of(text);
  REQUIRE(rows.at("T1").size() == 2);
  const Rect& a = rows.at("T1")[0];
  const Rect& b = rows.at("T1")[1];
  CHECK(a.fill == "#4caf50");
  CHECK(b.fill == "#f44336");
  CHECK(a.x == kPlotX);
  CHECK(b.x == a.x + a.width);
  CHECK(a.width + b.width == kPlotWidth);
  CHECK(std::abs(a.width - b.width) <= 1);
}

TEST_CASE("SvgTimeline: an idle tail and a run shorter than the plot") {
  TempDir dir;
  {
    sim::SvgTimeline svg(dir.file("tail.svg"), "tail");
    svg.track(1, 1, "T1", 0);
    svg.slice(1, 0, sim::kSecond, kA);
    svg.finish(4 * sim::kSecond);  // nothing happens after the first second
  }
  auto rows = rows_of(read_text(dir.file("tail.svg")));
  REQUIRE(rows.at("T1").size() == 1);
  CHECK(std::abs(rows.at("T1")[0].width - kPlotWidth / 4) <= 1);

  {
    // 100 ns over 990 pixels: buckets (1 ns) are wider than pixels.
    sim::SvgTimeline svg(dir.file("short.svg"), "short");
    svg.track(1, 1, "T1", 0);
    svg.slice(1, 0, 50, kA);
    svg.slice(1, 50, 100, kB);
    svg.finish(100);
  }
  rows = rows_of(read_text(dir.file("short.svg")));
  REQUIRE(rows.at("T1").size() == 2);
  CHECK(rows.at("T1")[0].width + rows.at("T1")[1].width == kPlotWidth);
  CHECK(std::abs(rows.at("T1")[0].width - rows.at("T1")[1].width) <= 1);
}

TEST_CASE("SvgTimeline: a million slices do not grow the buckets") {
  TempDir dir;
  sim::SvgTimeline svg(dir.file("t.svg"), "many");
  svg.track(1, 1, "T1", 0);
  svg.track(2, 1, "T2", 1);
  CHECK(svg.bucket_count() == 0);  // rows pay for the styles they show, when shown
  svg.slice(1, 0, 500, kA);
  svg.slice(1, 500, 1000, kB);
  svg.slice(2, 0, 1000, kA);
  const std::size_t held = svg.bucket_count();
  CHECK(held == 3 * 2 * kPlotWidth);
  for (sim::Time i = 1; i <= 1000000; ++i)
    svg.slice(1 + static_cast<sim::TrackId>(i % 2), i * 1000, i * 1000 + 1000, i % 3 ? kA : kB);
  CHECK(svg.bucket_count() == held + 2 * kPlotWidth);  // T2 met its second style, nothing more
  CHECK(svg.bucket_width() >= (1000001000 + 2 * kPlotWidth - 1) / (2 * kPlotWidth));
  svg.finish(1000001000);
  CHECK(fs::file_size(dir.file("t.svg")) < 200000);
}

TEST_CASE("SvgTimeline: rows grouped by process in sort order, legend, title, axis") {
  TempDir dir;
  constexpr sim::SliceStyle kA2{"running", "#4caf50"};  // same style, another object
  {
    sim::SvgTimeline svg(dir.file("t.svg"), "GIL <demo> & co");
    svg.process(2, "Machine", 1);
    svg.process(1, "Interpreter", 0);
    svg.track(20, 2, "core 0", 0);
    svg.track(11, 1, "T2", 1);
    svg.track(10, 1, "T1", 0);
    svg.track(30, 9, "stray", 0);  // its process was never declared
    svg.track(12, 1, "a thread with a very long name indeed", 2);
    svg.slice(10, 0, sim::kMillisecond, kA);
    svg.slice(11, 0, sim::kMillisecond, kB);
    svg.labelled_slice(20, 0, sim::kMillisecond, kA2, "T1");
    svg.slice(30, 0, sim::kMillisecond / 2, kB);
    svg.finish(1500 * sim::kMicrosecond);
  }
  const std::string text = read_text(dir.file("t.svg"));
  REQUIRE(well_formed_xml(text));
  CHECK(text.find(">GIL &lt;demo&gt; &amp; co</text>") != std::string::npos);
  const auto pos = [&](const std::string& s) {
    const auto p = text.find(">" + s + "</text>");
    INFO(s);
    CHECK(p != std::string::npos);
    return p;
  };
  CHECK(pos("Interpreter") < pos("T1"));
  CHECK(pos("T1") < pos("T2"));
  CHECK(pos("T2") < pos("a thread with a very lon\xE2\x80\xA6"));
  CHECK(pos("a thread with a very lon\xE2\x80\xA6") < pos("Machine"));
  CHECK(pos("Machine") < pos("core 0"));
  CHECK(pos("core 0") < pos("process 9"));
  CHECK(pos("process 9") < pos("stray"));
  // Legend: each style once, in order of appearance.
  CHECK(pos("stray") < pos("running"));
  CHECK(pos("running") < pos("waiting"));
  CHECK(text.find(">running</text>", pos("running") + 1) == std::string::npos);
  // Axis in the run's unit: 1.5 ms in steps of 0.2 ms.
  for (const char* tick : {"0", "0.2ms", "0.4ms", "1.4ms", "0 to 1.5ms"}) pos(tick);
  CHECK(text.find(">1.6ms</text>") == std::string::npos);

  const auto rows = rows_of(text);
  CHECK(rows.at("core 0").at(0).fill == "#4caf50");
  CHECK(rows.at("stray").at(0).width == kPlotWidth / 3);
  CHECK(rows.count("a thread with a very lon\xE2\x80\xA6") == 0);  // no slices: background only
}

TEST_CASE("SvgTimeline: an empty run is still a picture") {
  TempDir dir;
  {
    sim::SvgTimeline svg(dir.file("t.svg"), "empty");
    svg.track(1, 1, "T1", 0);
    svg.finish(0);
  }
  const std::string text = read_text(dir.file("t.svg"));
  CHECK(well_formed_xml(text));
  CHECK(rows_of(text).empty());
  CHECK(text.find(">T1</text>") != std::string::npos);
}

TEST_CASE("SvgTimeline: styles beyond the limit are drawn as other") {
  TempDir dir;
  static std::vector<std::string> names;
  static std::vector<sim::SliceStyle> styles;
  names.clear();
  for (int i = 0; i < sim::SvgTimeline::kMaxStyles + 2; ++i) names.push_back(std::to_string(i).insert(0, 1, 's'));
  styles.clear();
  for (const std::string& n : names) styles.push_back(sim::SliceStyle{n.c_str(), "#123456"});
  {
    sim::SvgTimeline svg(dir.file("t.svg"), "styles");
    svg.track(1, 1, "T1", 0);
    for (std::size_t i = 0; i < styles.size(); ++i)
      svg.slice(1, static_cast<sim::Time>(i) * 1000, static_cast<sim::Time>(i + 1) * 1000, styles[i]);
    svg.track(2, 1, "T2", 1);
    svg.slice(2, 0, 1000, styles.back());
    svg.finish(static_cast<sim::Time>(styles.size()) * 1000);
  }
  const std::string text = read_text(dir.file("t.svg"));
  CHECK(well_formed_xml(text));
  CHECK(text.find(">s15</text>") != std::string::npos);
  CHECK(text.find(">s16</text>") == std::string::npos);
  CHECK(text.find(">other</text>") != std::string::npos);
  CHECK(rows_of(text).at("T2").at(0).fill == "#9e9e9e");
  // All the named styles share one colour: T1 is a single run.
  CHECK(rows_of(text).at("T1").size() == 2);
}

TEST_CASE("SvgTimeline: deterministic, atomic, and strict about undeclared tracks") {
  TempDir dir;
  const auto draw = [](sim::SvgTimeline& svg) {
    svg.process(1, "P", 0);
    svg.track(1, 1, "T1", 0);
    for (sim::Time t = 0; t < 1000000; t += 700) svg.slice(1, t, t + 300, t % 1400 ? kA : kB);
    svg.finish(1000000);
  };
  {
    sim::SvgTimeline a(dir.file("a.svg"), "x");
    draw(a);
    sim::SvgTimeline b(dir.file("b.svg"), "x");
    draw(b);
  }
  CHECK(read_text(dir.file("a.svg")) == read_text(dir.file("b.svg")));

  {
    sim::SvgTimeline svg(dir.file("c.svg"), "x");
    svg.track(1, 1, "T1", 0);
    CHECK_THROWS_AS(svg.slice(2, 0, 1, kA), std::logic_error);
    svg.slice(1, 0, 10, kA);
  }  // never finished
  CHECK_FALSE(fs::exists(dir.file("c.svg")));
  CHECK(std::distance(fs::directory_iterator(dir.path()), fs::directory_iterator()) == 2);
  CHECK_THROWS_AS(sim::SvgTimeline(dir.file("t.svg"), "x", 100), std::invalid_argument);
  CHECK_THROWS_AS(sim::SvgTimeline((dir.path() / "missing" / "t.svg").string(), "x"), std::runtime_error);
}
