#include "sim/svg_timeline.h"
#include "sim/text.h"

#include <algorithm>
#include <charconv>
#include <cstring>
#include <map>
#include <stdexcept>
#include <tuple>

namespace sim {

namespace {

// Layout, in pixels.
constexpr int kMargin = 10;
constexpr int kPlotX = 180;        // left edge of the plot; row labels end just before
constexpr int kRightMargin = 30;   // room for the last tick label, centred on its tick
constexpr int kAxisY = 46;         // baseline of the tick labels
constexpr int kRowsY = 56;
constexpr int kHeadingHeight = 18;
constexpr int kRowHeight = SvgTimeline::kRowHeight;
constexpr int kRowPitch = kRowHeight + 4;
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

// `v` tenths of a pixel, as "12" or "12.3".
void append_tenths(std::string& out, std::int64_t v) {
  append_int(out, v / 10);
  if (v % 10 != 0) {
    out += '.';
    out += static_cast<char>('0' + v % 10);
  }
}

// Rows whose names share their first word ("task fetch", "task parse") or,
// for a name of one word, everything but its number ("worker_3") are one group.
std::string group_of(std::string_view name) {
  const std::size_t space = name.find(' ');
  if (space != std::string_view::npos) return std::string(name.substr(0, space));
  std::size_t n = name.size();
  while (n > 0 && name[n - 1] >= '0' && name[n - 1] <= '9') --n;
  if (n < name.size())  // "worker_3", "worker-3": the group is "worker"
    while (n > 1 && (name[n - 1] == '_' || name[n - 1] == '-' || name[n - 1] == '.')) --n;
  return std::string(name.substr(0, n));
}

}  // namespace

SvgTimeline::SvgTimeline(std::string path, std::string title, SvgOptions options)
    : out_(std::move(path)), title_(std::move(title)), options_(std::move(options)) {
  if (options_.width < 400) throw std::invalid_argument("SVG timeline width must be at least 400 pixels");
  if (options_.from < 0 || options_.from >= options_.to)
    throw std::invalid_argument("SVG timeline window must have 0 <= from < to");
  plot_width_ = options_.width - kPlotX - kRightMargin;
  // Twice the pixels: after the last doubling the window fills between half
  // and all of the buckets, so every pixel column still has at least one.
  buckets_ = 2 * static_cast<std::size_t>(plot_width_);
}

void SvgTimeline::process(std::uint32_t pid, std::string_view name, int sort_index) {
  processes_[pid] = Process{std::string(name), sort_index};
}

void SvgTimeline::track(TrackId id, std::uint32_t pid, std::string_view name, int sort_index) {
  Declared d{id, pid, std::string(name), sort_index};
  if (laid_out_) {
    if (row_of_.count(id) == 0) row_for(d);
    return;
  }
  for (Declared& old : declared_)
    if (old.id == id) {
      old = std::move(d);
      return;
    }
  declared_.push_back(std::move(d));
}

SvgTimeline::Row& SvgTimeline::row_for(const Declared& d) {
  const std::string group = group_of(d.name);
  for (std::size_t i = 0; i < rows_.size(); ++i)
    if (rows_[i].members > 1 && rows_[i].pid == d.pid && rows_[i].group == group) {
      row_of_[d.id] = i;
      ++rows_[i].members;
      return rows_[i];
    }
  row_of_[d.id] = rows_.size();
  Row& r = rows_.emplace_back();
  r.id = d.id;
  r.pid = d.pid;
  r.name = d.name;
  r.group = group;
  r.sort_index = d.sort_index;
  r.slot_of.fill(-1);
  return r;
}

void SvgTimeline::lay_out() {
  laid_out_ = true;
  std::map<std::pair<std::uint32_t, std::string>, std::vector<const Declared*>> groups;
  for (const Declared& d : declared_) groups[{d.pid, group_of(d.name)}].push_back(&d);
  for (const Declared& d : declared_) {
    const auto& members = groups[{d.pid, group_of(d.name)}];
    if (static_cast<int>(members.size()) <= options_.summarise_above) {
      row_for(d);
      continue;
    }
    if (members.front() != &d) continue;  // the group's row is made by its first member
    Row& r = row_for(d);
    r.members = static_cast<Time>(members.size());
    r.name = r.group + " \xC3\x97" + std::to_string(members.size());
    for (const Declared* m : members) {
      row_of_[m->id] = row_of_[d.id];
      r.sort_index = std::min(r.sort_index, m->sort_index);
    }
  }
  declared_.clear();
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
  int index = kOther;
  if (!style.colour) {
    index = -1;  // a state that is no activity: left blank
  } else {
    const char* name = style.name ? style.name : "";
    for (std::size_t i = 0; i < styles_.size(); ++i)
      if (std::strcmp(styles_[i].name, name) == 0 && std::strcmp(styles_[i].colour, style.colour) == 0)
        index = static_cast<int>(i);
    if (index == kOther && styles_.size() < static_cast<std::size_t>(kMaxStyles)) {
      index = static_cast<int>(styles_.size());
      int rank = static_cast<int>(options_.legend_order.size()) + index;
      for (std::size_t k = 0; k < options_.legend_order.size(); ++k) {
        const SliceStyle* o = options_.legend_order[k];
        if (o == &style || (o->name && o->colour && std::strcmp(o->name, name) == 0 &&
                            std::strcmp(o->colour, style.colour) == 0)) {
          rank = static_cast<int>(k);
          break;
        }
      }
      styles_.push_back(Style{name, style.colour, rank});
    }
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
  if (!laid_out_) lay_out();
  const auto it = row_of_.find(track);
  if (it == row_of_.end())
    throw std::logic_error("trace: slice on undeclared track " + std::to_string(track));
  begin = std::max(begin, options_.from);
  end = std::min(end, options_.to);
  if (end <= begin) return;
  const int index = style_index(style);
  if (index < 0) return;
  begin -= options_.from;
  end -= options_.from;
  cover(end);
  Row& r = rows_[it->second];
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
  if (!laid_out_) lay_out();
  // A window past the run's end still spans 1 ns: the picture says where it is.
  const Time span = std::max(std::min(end, options_.to) - options_.from, Time{1});
  cover(span);
  out_.write(render(span));
  out_.commit();
}

void SvgTimeline::render_row(std::string& body, const Row& r, int y, Time span) const {
  const Time w = bucket_width_;
  const Time pixels = plot_width_;
  append_text(body, kPlotX - 6, y + 12, " text-anchor=\"end\"", r.name, kMaxLabel);
  append_rect(body, kPlotX, y, plot_width_, kRowHeight, "#f2f2f2");

  // Slots stacked in legend order, the first at the foot.
  std::vector<std::size_t> slots(r.style_of_slot.size());
  for (std::size_t s = 0; s < slots.size(); ++s) slots[s] = s;
  const auto rank = [&](std::size_t s) {
    const int i = r.style_of_slot[s];
    return i == kOther ? 1 << 20 : styles_[static_cast<std::size_t>(i)].rank;
  };
  std::sort(slots.begin(), slots.end(), [&](std::size_t a, std::size_t b) { return rank(a) < rank(b); });

  // Per slot (in stacking order): the path so far and the run of equal columns.
  struct Run {
    std::string d;
    int start = 0;
    Time top = 0, bottom = 0;
  };
  std::vector<Run> runs(slots.size());
  const auto close = [&](Run& run, int x) {
    if (run.bottom <= run.top || x <= run.start) return;
    run.d += 'M';
    append_int(run.d, kPlotX + run.start);
    run.d += ' ';
    append_tenths(run.d, 10 * y + run.top);
    run.d += 'h';
    append_int(run.d, x - run.start);
    run.d += 'v';
    append_tenths(run.d, run.bottom - run.top);
    run.d += 'h';
    append_int(run.d, run.start - x);
    run.d += 'z';
  };
  for (int p = 0; p < plot_width_; ++p) {
    // The column's time, [t0, t1) of the window; each bucket counts in the
    // share of it that the column covers (time within a bucket is taken as
    // spread evenly over it).
    const Time t0 = scale(p, span, pixels);
    const Time t1 = std::max(scale(p + 1, span, pixels), t0 + 1);
    const std::size_t b0 = static_cast<std::size_t>(t0 / w);
    const std::size_t b1 = std::min(static_cast<std::size_t>((t1 - 1) / w) + 1, buckets_);
    const Wide whole = static_cast<Wide>(t1 - t0) * w * r.members;
    Wide sum = 0;
    Time below = 0;  // the stack's height so far
    for (std::size_t k = 0; k < slots.size(); ++k) {
      const Time* c = r.cells.data() + slots[k] * buckets_;
      for (std::size_t b = b0; b < b1; ++b) {
        const Time lo = std::max(t0, static_cast<Time>(b) * w);
        const Time hi = std::min(t1, static_cast<Time>(b + 1) * w);
        // The bucket the window ends in holds time only up to its end: spread
        // over that part, it counts as if stretched over the whole bucket.
        const Time extent = std::min(span, static_cast<Time>(b + 1) * w) - static_cast<Time>(b) * w;
        const Time held = extent == w ? c[b] : static_cast<Time>(static_cast<Wide>(c[b]) * w / extent);
        sum += static_cast<Wide>(held) * (hi - lo);
      }
      // The stack's boundaries are rounded, not its parts: a column's heights
      // add up to its rounded total.
      const Time height = std::min<Time>(
          static_cast<Time>((2 * sum * kHeightUnits + whole) / (2 * whole)), kHeightUnits);
      // Stacked from the row's foot up, as bars are read; y grows downwards.
      Run& run = runs[k];
      if (kHeightUnits - height != run.top || kHeightUnits - below != run.bottom) {
        close(run, p);
        run.start = p;
        run.top = kHeightUnits - height;
        run.bottom = kHeightUnits - below;
      }
      below = height;
    }
  }
  for (std::size_t k = 0; k < slots.size(); ++k) {
    close(runs[k], plot_width_);
    if (runs[k].d.empty()) continue;
    const int i = r.style_of_slot[slots[k]];
    body += "<path fill=\"";
    append_xml(body, i == kOther ? kOtherColour : styles_[static_cast<std::size_t>(i)].colour);
    body += "\" d=\"";
    body += runs[k].d;
    body += "\"/>\n";
  }
}

std::string SvgTimeline::render(Time span) const {
  const Time from = options_.from;
  const Time pixels = plot_width_;
  std::string body;

  // Ticks: the smallest step of 1, 2 or 5 times a power of ten giving at most
  // eight intervals, at its multiples inside the window. Labels are in the
  // unit of the window's end, with the decimals the step needs.
  Time step = 1;
  for (Time mag = 1;; mag *= 10) {
    if (span / mag <= 8) { step = mag; break; }
    if (span / (2 * mag) <= 8) { step = 2 * mag; break; }
    if (span / (5 * mag) <= 8) { step = 5 * mag; break; }
  }
  const Unit& tick_unit = unit_for(from + span);
  int decimals = 0;
  for (Time div = tick_unit.ns; div > 1 && step % div != 0; div /= 10) ++decimals;
  std::vector<int> tick_x;
  for (Time t = (from + step - 1) / step * step; t <= from + span; t += step) {
    tick_x.push_back(kPlotX + static_cast<int>(scale(t - from, pixels, span)));
    std::string label;
    append_time(label, t, tick_unit.ns, decimals, t == 0 ? "" : tick_unit.name);
    append_text(body, tick_x.back(), kAxisY, " text-anchor=\"middle\" fill=\"#444\"", label);
  }

  // Rows drawn: those with something on them, processes in sort order, then
  // pid; tracks of an undeclared process last.
  std::vector<std::size_t> order;
  for (std::size_t i = 0; i < rows_.size(); ++i)
    if (!rows_[i].cells.empty()) order.push_back(i);
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
  std::array<bool, kSlots> drawn{};
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
    render_row(body, r, y, span);
    for (std::uint8_t i : r.style_of_slot) drawn[i] = true;
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

  // Legend: the styles drawn, in legend order; wraps at the edge.
  y += 8;
  int x = kMargin;
  const auto legend_item = [&](const char* name, const char* fill) {
    const int item = 18 + kCharWidth * static_cast<int>(code_points(name)) + 16;
    if (x != kMargin && x + item > options_.width - kMargin) {
      x = kMargin;
      y += kLegendPitch;
    }
    append_rect(body, x, y, 12, 12, fill);
    append_text(body, x + 18, y + 10, "", name);
    x += item;
  };
  std::vector<std::size_t> legend;
  for (std::size_t i = 0; i < styles_.size(); ++i)
    if (drawn[i]) legend.push_back(i);
  std::stable_sort(legend.begin(), legend.end(),
                   [&](std::size_t a, std::size_t b) { return styles_[a].rank < styles_[b].rank; });
  for (std::size_t i : legend) legend_item(styles_[i].name, styles_[i].colour);
  if (drawn[kOther]) legend_item("other", kOtherColour);
  const int height = y + kLegendPitch + kMargin;

  std::string svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"";
  append_int(svg, options_.width);
  svg += "\" height=\"";
  append_int(svg, height);
  svg += "\" viewBox=\"0 0 ";
  append_int(svg, options_.width);
  svg += ' ';
  append_int(svg, height);
  svg += "\" font-family=\"sans-serif\" font-size=\"11\">\n";
  append_rect(svg, 0, 0, options_.width, height, "#fff");
  append_text(svg, kMargin, 22, " font-size=\"16\" font-weight=\"bold\"", title_);
  std::string length;
  const Unit& end_unit = unit_for(from + span);
  append_time(length, from, end_unit.ns, 3, from == 0 ? "" : end_unit.name);
  length += " to ";
  append_time(length, from + span, end_unit.ns, 3, end_unit.name);
  append_text(svg, kPlotX + plot_width_, 22, " text-anchor=\"end\" fill=\"#444\"", length);
  svg += body;
  svg += "</svg>\n";
  return svg;
}

}  // namespace sim
