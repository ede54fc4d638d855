#include "sim/svg_timeline.h"
#include "sim/text.h"

#include <algorithm>
#include <charconv>
#include <cstring>
#include <stdexcept>

namespace sim {

namespace {

// Layout, in pixels.
constexpr int kMargin = 10;
constexpr int kPlotX = 180;        // left edge of the plot; row labels end just before
constexpr int kRightMargin = 30;   // room for the last tick label, centred on its tick
constexpr int kAxisY = 46;         // baseline of the tick labels
constexpr int kRowsY = 56;
constexpr int kHeadingHeight = 18;
constexpr int kRowHeight = 14;
constexpr int kRowPitch = 18;
constexpr int kProcessGap = 6;
constexpr int kLegendPitch = 18;
constexpr int kCharWidth = 7;      // rough width of a character at font-size 11
constexpr std::size_t kMaxLabel = 24;  // code points shown of a row's name
constexpr const char* kOtherColour = "#9e9e9e";

__extension__ typedef __int128 Wide;  // t * pixels overflows 64 bits past ~25 simulated hours

Time scale(Time t, Time num, Time den) {
  return static_cast<Time>(static_cast<Wide>(t) * num / den);
}

void append_int(std::string& out, std::int64_t v) {
  char digits[24];
  out.append(digits, std::to_chars(digits, digits + sizeof digits, v).ptr);
}

// `v` in `unit`s with up to `decimals` digits after the point, zeros trimmed.
void append_time(std::string& out, Time v, Time unit, int decimals, const char* suffix) {
  append_int(out, v / unit);
  Time frac = v % unit, div = unit;
  std::string digits;
  for (int d = 0; d < decimals && div > 1; ++d) {
    div /= 10;
    digits += static_cast<char>('0' + frac / div);
    frac %= div;
  }
  while (!digits.empty() && digits.back() == '0') digits.pop_back();
  if (!digits.empty()) out += '.' + digits;
  out += suffix;
}

struct Unit {
  Time ns;
  const char* name;
};
constexpr Unit kUnits[] = {{1, "ns"}, {kMicrosecond, "us"}, {kMillisecond, "ms"}, {kSecond, "s"}};

// The largest unit not above `v`, so that a value reads as 1 to 999 of it.
const Unit& unit_for(Time v) {
  const Unit* u = &kUnits[0];
  for (const Unit& c : kUnits)
    if (c.ns <= v) u = &c;
  return *u;
}


// Escapes for XML text and attributes; at most `max_chars` code points, then "…".
void append_xml(std::string& out, std::string_view s, std::size_t max_chars = SIZE_MAX) {
  std::size_t chars = 0;
  for (std::size_t i = 0; i < s.size(); ++chars) {
    if (chars == max_chars) {
      out += "\xE2\x80\xA6";
      return;
    }
    const char c = s[i];
    const std::size_t n = utf8_length(s, i);
    if (n == 0 || (n == 1 && static_cast<unsigned char>(c) < 0x20)) {
      out += "\xEF\xBF\xBD";  // U+FFFD; XML 1.0 forbids control characters
      ++i;
      continue;
    }
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      default: out.append(s.substr(i, n));
    }
    i += n;
  }
}

std::size_t code_points(std::string_view s) {
  std::size_t n = 0;
  for (char c : s) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return n;
}

void append_rect(std::string& out, int x, int y, int w, int h, const char* fill) {
  out += "<rect x=\"";
  append_int(out, x);
  out += "\" y=\"";
  append_int(out, y);
  out += "\" width=\"";
  append_int(out, w);
  out += "\" height=\"";
  append_int(out, h);
  out += "\" fill=\"";
  append_xml(out, fill);
  out += "\"/>\n";
}

void append_text(std::string& out, int x, int y, const char* attrs, std::string_view text,
                 std::size_t max_chars = SIZE_MAX) {
  out += "<text x=\"";
  append_int(out, x);
  out += "\" y=\"";
  append_int(out, y);
  out += '"';
  out += attrs;
  out += '>';
  append_xml(out, text, max_chars);
  out += "</text>\n";
}

}  // namespace

SvgTimeline::SvgTimeline(std::string path, std::string title, int width)
    : out_(std::move(path)), title_(std::move(title)), width_(width) {
  if (width < 400) throw std::invalid_argument("SVG timeline width must be at least 400 pixels");
  plot_width_ = width - kPlotX - kRightMargin;
  // Twice the pixels: after the last doubling the run fills between half and
  // all of the buckets, so every pixel column still has at least one.
  buckets_ = 2 * static_cast<std::size_t>(plot_width_);
}

void SvgTimeline::process(std::uint32_t pid, std::string_view name, int sort_index) {
  processes_[pid] = Process{std::string(name), sort_index};
}

void SvgTimeline::track(TrackId id, std::uint32_t pid, std::string_view name, int sort_index) {
  auto [it, added] = row_of_.try_emplace(id, rows_.size());
  if (added) rows_.emplace_back();
  Row& r = rows_[it->second];
  r.id = id;
  r.pid = pid;
  r.name = std::string(name);
  r.sort_index = sort_index;
  if (added) r.slot_of.fill(-1);
}

std::size_t SvgTimeline::bucket_count() const {
  std::size_t n = 0;
  for (const Row& r : rows_) n += r.cells.size();
  return n;
}

int SvgTimeline::style_index(const SliceStyle& style) {
  for (const auto& [ptr, index] : seen_)
    if (ptr == &style) return index;
  // A new pointer: the same style may be defined in two places.
  const char* name = style.name ? style.name : "";
  const char* colour = style.colour ? style.colour : kOtherColour;
  int index = kOther;
  for (std::size_t i = 0; i < styles_.size(); ++i)
    if (std::strcmp(styles_[i].name, name) == 0 && std::strcmp(styles_[i].colour, colour) == 0)
      index = static_cast<int>(i);
  if (index == kOther && styles_.size() < static_cast<std::size_t>(kMaxStyles)) {
    index = static_cast<int>(styles_.size());
    styles_.push_back(Style{name, colour});
  }
  seen_.emplace_back(&style, index);
  return index;
}

void SvgTimeline::cover(Time t) {
  const Time n = static_cast<Time>(buckets_);
  while ((t - 1) / n >= bucket_width_) {
    bucket_width_ *= 2;
    for (Row& r : rows_) {
      for (std::size_t s = 0; s < r.style_of_slot.size(); ++s) {
        Time* c = r.cells.data() + s * buckets_;
        for (std::size_t i = 0; i < buckets_ / 2; ++i) c[i] = c[2 * i] + c[2 * i + 1];
        std::fill(c + buckets_ / 2, c + buckets_, Time{0});
      }
    }
  }
}

void SvgTimeline::add(TrackId track, Time begin, Time end, const SliceStyle& style) {
  const auto it = row_of_.find(track);
  if (it == row_of_.end())
    throw std::logic_error("trace: slice on undeclared track " + std::to_string(track));
  begin = std::max(begin, Time{0});
  if (end <= begin) return;
  cover(end);
  Row& r = rows_[it->second];
  const int index = style_index(style);
  if (r.slot_of[index] < 0) {
    r.slot_of[index] = static_cast<std::int8_t>(r.style_of_slot.size());
    r.style_of_slot.push_back(static_cast<std::uint8_t>(index));
    r.cells.resize(r.cells.size() + buckets_, 0);
  }
  Time* c = r.cells.data() + static_cast<std::size_t>(r.slot_of[index]) * buckets_;
  const Time w = bucket_width_;
  const Time first = begin / w, last = (end - 1) / w;
  if (first == last) {
    c[first] += end - begin;
    return;
  }
  c[first] += (first + 1) * w - begin;
  for (Time b = first + 1; b < last; ++b) c[b] += w;
  c[last] += end - last * w;
}

void SvgTimeline::slice(TrackId track, Time begin, Time end, const SliceStyle& style) {
  add(track, begin, end, style);
}

void SvgTimeline::labelled_slice(TrackId track, Time begin, Time end, const SliceStyle& style,
                                 std::string_view) {
  add(track, begin, end, style);
}

void SvgTimeline::finish(Time end) {
  if (finished_) throw std::logic_error("SvgTimeline::finish called twice");
  finished_ = true;
  end = std::max(end, Time{1});
  cover(end);
  out_.write(render(end));
  out_.commit();
}

std::string SvgTimeline::render(Time end) const {
  const Time w = bucket_width_;
  const Time pixels = plot_width_;
  std::string body;

  // Ticks: the smallest step of 1, 2 or 5 times a power of ten giving at most
  // eight intervals. Labels are in the unit of the run's length, of which a
  // step is at least 0.2: one decimal suffices.
  Time step = 1;
  for (Time mag = 1;; mag *= 10) {
    if (end / mag <= 8) { step = mag; break; }
    if (end / (2 * mag) <= 8) { step = 2 * mag; break; }
    if (end / (5 * mag) <= 8) { step = 5 * mag; break; }
  }
  const Unit& tick_unit = unit_for(end);
  std::vector<int> tick_x;
  for (Time t = 0; t <= end; t += step) {
    tick_x.push_back(kPlotX + static_cast<int>(scale(t, pixels, end)));
    std::string label;
    append_time(label, t, tick_unit.ns, 1, t == 0 ? "" : tick_unit.name);
    append_text(body, tick_x.back(), kAxisY, " text-anchor=\"middle\" fill=\"#444\"", label);
    if (end - t < step) break;
  }

  // Style index -> the first index with the same colour: runs of one colour
  // merge even across styles that share it.
  std::array<int, kSlots> colour_id{};
  std::array<const char*, kSlots> colour{};
  for (int i = 0; i < kSlots; ++i) {
    colour[i] = i < static_cast<int>(styles_.size()) ? styles_[i].colour : kOtherColour;
    colour_id[i] = i;
    for (int j = 0; j < i; ++j)
      if (std::strcmp(colour[i], colour[j]) == 0) {
        colour_id[i] = colour_id[j];
        break;
      }
  }

  // Processes in sort order, then pid; tracks of an undeclared process last.
  std::vector<std::size_t> order(rows_.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  const auto process_key = [&](std::uint32_t pid) {
    const auto p = processes_.find(pid);
    return std::make_tuple(p == processes_.end(), p == processes_.end() ? 0 : p->second.sort_index, pid);
  };
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    const Row& x = rows_[a];
    const Row& y = rows_[b];
    return std::make_tuple(process_key(x.pid), x.sort_index, x.id) <
           std::make_tuple(process_key(y.pid), y.sort_index, y.id);
  });

  int y = kRowsY;
  for (std::size_t k = 0; k < order.size(); ++k) {
    const Row& r = rows_[order[k]];
    if (k == 0 || rows_[order[k - 1]].pid != r.pid) {
      if (k != 0) y += kProcessGap;
      const auto p = processes_.find(r.pid);
      const std::string heading =
          p != processes_.end() ? p->second.name : "process " + std::to_string(r.pid);
      append_text(body, kMargin, y + 13, " font-weight=\"bold\"", heading);
      y += kHeadingHeight;
    }
    append_text(body, kPlotX - 6, y + 11, " text-anchor=\"end\"", r.name, kMaxLabel);
    append_rect(body, kPlotX, y, plot_width_, kRowHeight, "#f2f2f2");

    // Each pixel column takes the style with the most time in the buckets
    // that begin inside it (or, if buckets are wider than pixels, the bucket
    // it lies in). Ties go to the style seen first.
    int run_colour = -1, run_start = 0;
    const auto close_run = [&](int x) {
      if (run_colour >= 0) append_rect(body, kPlotX + run_start, y, x - run_start, kRowHeight, colour[run_colour]);
    };
    for (int p = 0; p <= plot_width_; ++p) {
      int best = -1;
      if (p < plot_width_) {
        const Time t0 = scale(p, end, pixels), t1 = scale(p + 1, end, pixels);
        std::size_t b0 = static_cast<std::size_t>((t0 + w - 1) / w);
        std::size_t b1 = static_cast<std::size_t>((t1 + w - 1) / w);
        if (b0 >= b1) {
          b0 = static_cast<std::size_t>(t0 / w);
          b1 = b0 + 1;
        }
        b1 = std::min(b1, buckets_);
        Time best_time = 0;
        for (std::size_t s = 0; s < r.style_of_slot.size(); ++s) {
          const Time* c = r.cells.data() + s * buckets_;
          Time sum = 0;
          for (std::size_t b = b0; b < b1; ++b) sum += c[b];
          const int index = r.style_of_slot[s];
          if (sum > best_time || (sum == best_time && sum > 0 && index < best)) {
            best_time = sum;
            best = index;
          }
        }
      }
      const int c = best >= 0 ? colour_id[best] : -1;
      if (c != run_colour) {
        close_run(p);
        run_colour = c;
        run_start = p;
      }
    }
    y += kRowPitch;
  }

  // Grid lines over the rows, faint enough to read the colours through.
  for (int x : tick_x) {
    body += "<line x1=\"";
    append_int(body, x);
    body += "\" y1=\"";
    append_int(body, kAxisY + 4);
    body += "\" x2=\"";
    append_int(body, x);
    body += "\" y2=\"";
    append_int(body, y);
    body += "\" stroke=\"#000\" stroke-opacity=\"0.15\"/>\n";
  }

  // Legend: every style seen, in order of first appearance; wraps at the edge.
  y += 8;
  int x = kMargin;
  const auto legend_item = [&](const char* name, const char* fill) {
    const int item = 18 + kCharWidth * static_cast<int>(code_points(name)) + 16;
    if (x != kMargin && x + item > width_ - kMargin) {
      x = kMargin;
      y += kLegendPitch;
    }
    append_rect(body, x, y, 12, 12, fill);
    append_text(body, x + 18, y + 10, "", name);
    x += item;
  };
  for (std::size_t i = 0; i < styles_.size(); ++i) legend_item(styles_[i].name, styles_[i].colour);
  if (std::any_of(seen_.begin(), seen_.end(), [](const auto& s) { return s.second == kOther; }))
    legend_item("other", kOtherColour);
  const int height = y + kLegendPitch + kMargin;

  std::string svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"";
  append_int(svg, width_);
  svg += "\" height=\"";
  append_int(svg, height);
  svg += "\" viewBox=\"0 0 ";
  append_int(svg, width_);
  svg += ' ';
  append_int(svg, height);
  svg += "\" font-family=\"sans-serif\" font-size=\"11\">\n";
  append_rect(svg, 0, 0, width_, height, "#fff");
  append_text(svg, kMargin, 22, " font-size=\"16\" font-weight=\"bold\"", title_);
  std::string length = "0 to ";
  const Unit& end_unit = unit_for(end);
  append_time(length, end, end_unit.ns, 3, end_unit.name);
  append_text(svg, kPlotX + plot_width_, 22, " text-anchor=\"end\" fill=\"#444\"", length);
  svg += body;
  svg += "</svg>\n";
  return svg;
}

}  // namespace sim
