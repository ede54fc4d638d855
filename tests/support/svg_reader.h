// Reads back what sim::SvgTimeline draws, for tests that measure a picture:
// its rows (by label) with the area painted in each colour, its legend, its
// height. Knows the timeline's layout: row labels are right-aligned texts at
// x=174, each state of a row is one <path> of rectangles "Mx yhWvHh-Wz".
#pragma once

#include <doctest/doctest.h>

#include <cctype>
#include <cstring>
#include <map>
#include <string>
#include <vector>

namespace testing {

constexpr int kSvgPlotX = 180;
constexpr int kSvgPlotWidth = 1200 - 180 - 30;
constexpr int kSvgRowHeight = 16;

// Tags nest and close, attribute values are quoted, and text holds no raw '<'
// and only the predefined entities: enough that a viewer parses the file.
inline bool well_formed_xml(const std::string& s) {
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

// The value of attribute `name` in the tag starting at `tag`.
inline std::string svg_attr(const std::string& svg, std::size_t tag, const std::string& name) {
  const std::size_t end = svg.find('>', tag);
  const std::size_t at = svg.find(" " + name + "=\"", tag);
  REQUIRE(at < end);
  const std::size_t from = at + name.size() + 3;
  return svg.substr(from, svg.find('"', from) - from);
}

struct SvgBox {
  double x, y, width, height;
};

struct SvgRow {
  int y = 0;  // top of the row
  std::map<std::string, std::vector<SvgBox>> boxes;  // by fill colour

  // The share of the row's plot painted in `colour` (0 to 1).
  double share(const std::string& colour) const {
    double area = 0;
    const auto it = boxes.find(colour);
    if (it != boxes.end())
      for (const SvgBox& b : it->second) area += b.width * b.height;
    return area / (kSvgPlotWidth * kSvgRowHeight);
  }
  double painted() const {
    double s = 0;
    for (const auto& [colour, b] : boxes) s += share(colour);
    return s;
  }
  // The share painted in `colour` of pixel columns [x0, x1) (plot coordinates).
  double share(const std::string& colour, int x0, int x1) const {
    double area = 0;
    const auto it = boxes.find(colour);
    if (it != boxes.end())
      for (const SvgBox& b : it->second) {
        const double lo = std::max<double>(b.x, kSvgPlotX + x0), hi = std::min<double>(b.x + b.width, kSvgPlotX + x1);
        if (hi > lo) area += (hi - lo) * b.height;
      }
    return area / ((x1 - x0) * kSvgRowHeight);
  }
};

// The rows of a timeline by label; every state's rectangle must lie inside
// its row.
inline std::map<std::string, SvgRow> svg_rows(const std::string& svg) {
  std::map<std::string, SvgRow> rows;
  std::map<int, std::string> row_at;
  const std::string label = "<text x=\"174\" ";
  for (std::size_t p = svg.find(label); p != std::string::npos; p = svg.find(label, p + 1)) {
    const std::size_t text = svg.find('>', p) + 1;
    const std::string name = svg.substr(text, svg.find('<', text) - text);
    const int y = std::stoi(svg_attr(svg, p, "y")) - 12;
    row_at[y] = name;
    rows[name].y = y;
  }
  for (std::size_t p = svg.find("<path "); p != std::string::npos; p = svg.find("<path ", p + 1)) {
    const std::string fill = svg_attr(svg, p, "fill");
    const std::string d = svg_attr(svg, p, "d");
    std::size_t i = 0;
    const auto number = [&](char before) {
      REQUIRE(i < d.size());
      REQUIRE(d[i] == before);
      ++i;
      std::size_t used = 0;
      const double v = std::stod(d.substr(i), &used);
      i += used;
      return v;
    };
    while (i < d.size()) {
      SvgBox b{};
      b.x = number('M');
      b.y = number(' ');
      b.width = number('h');
      b.height = number('v');
      CHECK(number('h') == -b.width);
      REQUIRE(d[i] == 'z');
      ++i;
      CHECK(b.width > 0);
      CHECK(b.height > 0);
      auto row = row_at.upper_bound(static_cast<int>(b.y));
      REQUIRE(row != row_at.begin());
      --row;
      CHECK(b.y + b.height <= row->first + kSvgRowHeight + 1e-9);
      CHECK(b.x >= kSvgPlotX);
      CHECK(b.x + b.width <= kSvgPlotX + kSvgPlotWidth);
      rows[row->second].boxes[fill].push_back(b);
    }
  }
  return rows;
}

// The legend's entries, in order: (name, colour).
inline std::vector<std::pair<std::string, std::string>> svg_legend(const std::string& svg) {
  std::vector<std::pair<std::string, std::string>> items;
  const std::string swatch = "width=\"12\" height=\"12\"";
  for (std::size_t p = svg.find(swatch); p != std::string::npos; p = svg.find(swatch, p + 1)) {
    const std::size_t tag = svg.rfind("<rect", p);
    const std::size_t text = svg.find('>', svg.find("<text", p)) + 1;
    items.emplace_back(svg.substr(text, svg.find('<', text) - text), svg_attr(svg, tag, "fill"));
  }
  return items;
}

inline int svg_height(const std::string& svg) { return std::stoi(svg_attr(svg, 0, "height")); }

}  // namespace testing
