#include "report/report.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <limits>
#include <sstream>

namespace report {

// --- Style -----------------------------------------------------------------

namespace {
std::string ansi(bool on, const char* code, const std::string& s) {
  if (!on || s.empty()) return s;
  return std::string("\033[") + code + "m" + s + "\033[0m";
}
}  // namespace

std::string Style::bold(const std::string& s) const { return ansi(tty, "1", s); }
std::string Style::green(const std::string& s) const { return ansi(tty, "32", s); }
std::string Style::red(const std::string& s) const { return ansi(tty, "31", s); }
std::string Style::dim(const std::string& s) const { return ansi(tty, "2", s); }
std::string Style::ok_mark() const { return tty ? "\u2713" : "ok"; }
std::string Style::fail_mark() const { return tty ? "\u2717" : "FAIL"; }
std::string Style::dash() const { return tty ? "\u2014" : "-"; }

// --- numbers ---------------------------------------------------------------

namespace {
// printf-style formatting of one double. The program never calls setlocale,
// so the C locale is in force and the decimal point is '.'.
std::string printf_double(const char* format, double v) {
  char buf[64];
  int n = std::snprintf(buf, sizeof buf, format, v);
  return std::string(buf, static_cast<std::size_t>(std::max(n, 0)));
}

bool is_integer(double v, double limit) { return std::fabs(v) < limit && v == std::trunc(v); }
}  // namespace

std::string format_value(double v) {
  if (std::isnan(v)) return "nan";
  if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
  if (v == 0) return "0";
  if (is_integer(v, 1e15)) return printf_double("%.0f", v);
  return printf_double("%.4g", v);
}

std::string format_duration(double seconds) {
  if (!std::isfinite(seconds)) return format_value(seconds);
  if (seconds == 0) return "0 s";
  struct Unit {
    double scale;
    const char* name;
  };
  static const Unit kUnits[] = {{1, "s"}, {1e-3, "ms"}, {1e-6, "us"}, {1e-9, "ns"}};
  double a = std::fabs(seconds);
  std::size_t u = 0;
  while (u + 1 < std::size(kUnits) && a < kUnits[u].scale) ++u;
  for (;;) {
    double x = a / kUnits[u].scale;
    const char* format = x >= 99.95 ? "%.0f" : x >= 9.995 ? "%.1f" : "%.2f";
    std::string text = printf_double(format, x);
    // 999.7 ms rounds to "1000": say "1.00 s" instead.
    if (u > 0 && std::strtod(text.c_str(), nullptr) >= 1000) {
      --u;
      continue;
    }
    return (seconds < 0 ? "-" : "") + text + " " + kUnits[u].name;
  }
}

// --- TextTable -------------------------------------------------------------

std::size_t display_width(const std::string& s) {
  std::size_t width = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (c == 0x1b && i + 1 < s.size() && s[i + 1] == '[') {
      i += 2;
      while (i < s.size() && !(s[i] >= 0x40 && s[i] <= 0x7e)) ++i;
      continue;
    }
    if ((c & 0xc0) != 0x80) ++width;  // not a UTF-8 continuation byte
  }
  return width;
}

std::string wrap_text(const std::string& text, std::size_t width) {
  std::string out, line, word;
  auto flush_word = [&] {
    if (word.empty()) return;
    if (!line.empty() && display_width(line) + 1 + display_width(word) > width) {
      out += line + "\n";
      line.clear();
    }
    line += (line.empty() ? "" : " ") + word;
    word.clear();
  };
  for (char c : text) {
    if (c == ' ' || c == '\n' || c == '\t' || c == '\r')
      flush_word();
    else
      word += c;
  }
  flush_word();
  return out + line;
}

namespace {
std::vector<std::string> split_lines(const std::string& s) {
  std::vector<std::string> lines;
  std::string line;
  std::istringstream in(s);
  while (std::getline(in, line)) lines.push_back(line);
  if (lines.empty()) lines.emplace_back();
  return lines;
}

void rstrip(std::string& s) {
  while (!s.empty() && s.back() == ' ') s.pop_back();
}
}  // namespace

TextTable::TextTable(std::vector<std::string> header, std::vector<Align> align)
    : header_(std::move(header)), align_(std::move(align)) {}

void TextTable::add_row(std::vector<std::string> cells) { rows_.push_back(std::move(cells)); }

void TextTable::print(std::ostream& out, const Style& style, const std::string& indent) const {
  std::size_t columns = header_.size();
  for (const auto& r : rows_) columns = std::max(columns, r.size());
  std::vector<std::size_t> width(columns, 0);
  auto measure = [&](const std::vector<std::string>& cells) {
    for (std::size_t c = 0; c < cells.size(); ++c)
      for (const auto& line : split_lines(cells[c]))
        width[c] = std::max(width[c], display_width(line));
  };
  measure(header_);
  for (const auto& r : rows_) measure(r);

  auto print_row = [&](const std::vector<std::string>& cells, bool is_header) {
    std::vector<std::vector<std::string>> lines(columns);
    std::size_t height = 1;
    for (std::size_t c = 0; c < columns; ++c) {
      lines[c] = c < cells.size() ? split_lines(cells[c]) : std::vector<std::string>{""};
      height = std::max(height, lines[c].size());
    }
    for (std::size_t h = 0; h < height; ++h) {
      std::string text = indent;
      for (std::size_t c = 0; c < columns; ++c) {
        std::string cell = h < lines[c].size() ? lines[c][h] : "";
        std::string pad(width[c] - display_width(cell), ' ');
        bool right = c < align_.size() && align_[c] == Align::Right;
        if (is_header) cell = style.bold(cell);
        text += right ? pad + cell : cell + pad;
        if (c + 1 < columns) text += "  ";
      }
      rstrip(text);
      out << text << "\n";
    }
  };
  bool has_header = std::any_of(header_.begin(), header_.end(),
                                [](const std::string& h) { return !h.empty(); });
  if (has_header) print_row(header_, true);
  for (const auto& r : rows_) print_row(r, false);
}

// --- the terminal summary --------------------------------------------------

namespace {

double metric(const VariantRun& run, const std::string& name) {
  auto it = run.result.metrics.find(name);
  return it == run.result.metrics.end() ? std::numeric_limits<double>::quiet_NaN() : it->second;
}

std::string count_cell(double v) { return std::isnan(v) ? "-" : format_value(v); }

std::string fixed2(double v) { return std::isnan(v) ? "-" : printf_double("%.2f", v); }

template <typename F>
bool all_same(const std::vector<VariantRun>& runs, F field) {
  return std::all_of(runs.begin(), runs.end(),
                     [&](const VariantRun& r) { return field(r) == field(runs.front()); });
}

std::string setup_line(const ScenarioResult& r) {
  std::string line = r.file + ", seed " + std::to_string(r.seed);
  if (!r.runs.empty()) {
    const auto& first = r.runs.front();
    if (all_same(r.runs, [](const VariantRun& v) { return v.python; }))
      line += ", Python " + first.python;
    if (all_same(r.runs, [](const VariantRun& v) { return v.cores; }))
      line += ", " + std::to_string(first.cores) + (first.cores == 1 ? " core" : " cores");
  }
  if (!r.profile.empty()) line += ", profile " + r.profile;
  if (!r.claim.empty()) line += ", claim " + r.claim;
  if (r.replications > 1)
    line += ", " + std::to_string(r.replications) + " replications (each variant's seed +0..+" +
            std::to_string(r.replications - 1) + "): means";
  return line;
}

std::string wall_cell(const VariantRun& run) {
  if (run.result.hit_time_limit)
    return "stopped at " + format_duration(sim::to_seconds(run.time_limit));
  return format_duration(metric(run, "wall"));
}

std::string speedup_cell(const VariantRun& run, const VariantRun& baseline, bool is_baseline) {
  if (is_baseline) return "x1.00 (baseline)";
  double base = metric(baseline, "wall"), wall = metric(run, "wall");
  if (run.result.hit_time_limit || baseline.result.hit_time_limit || !(wall > 0) || !(base > 0))
    return "-";
  return "x" + printf_double("%.2f", base / wall);
}

bool serves_requests(const VariantRun& run) { return !std::isnan(metric(run, "requests.arrived")); }

// A server's figures: latency percentiles over the requests that arrived
// in the window after the warm-up, and the responses per second in it. With
// a listen backlog that overflowed: the connections dropped. With clients
// that timed out: the responses that reached a waiting client per second
// (goodput), the timeouts and the late responses. With a loop's
// limit_concurrency reached: the 503s. With any: the requests that failed.
void print_request_table(std::ostream& out, const ScenarioResult& r, const Style& style) {
  using A = TextTable::Align;
  auto any = [&](const char* m) {
    return std::any_of(r.runs.begin(), r.runs.end(),
                       [&](const VariantRun& run) { return serves_requests(run) && metric(run, m) > 0; });
  };
  const bool dropped = any("requests.listen_overflows");
  const bool timeouts = any("requests.timeouts");
  const bool rejected = any("requests.rejected");
  std::vector<std::string> header = {"requests", "arrived", "p50", "p90", "p99", "max", "throughput", "queue (max)"};
  if (dropped) header.push_back("SYNs dropped");
  if (rejected) header.push_back("503s");
  if (timeouts) {
    header.push_back("goodput");
    header.push_back("timeouts");
    header.push_back("late");
  }
  if (dropped || timeouts || rejected) header.push_back("failed");
  std::vector<A> align(header.size(), A::Right);
  align[0] = A::Left;
  TextTable table(header, align);
  for (const auto& run : r.runs) {
    if (!serves_requests(run)) continue;
    auto latency = [&](const char* m) { return format_duration(metric(run, std::string("requests.") + m)); };
    std::vector<std::string> row = {run.name, count_cell(metric(run, "requests.arrived")), latency("p50"),
                                    latency("p90"), latency("p99"), latency("max"),
                                    printf_double("%.1f/s", metric(run, "requests.throughput")),
                                    count_cell(metric(run, "requests.queue_max"))};
    if (dropped) row.push_back(count_cell(metric(run, "requests.listen_overflows")));
    if (rejected) row.push_back(count_cell(metric(run, "requests.rejected")));
    if (timeouts) {
      row.push_back(printf_double("%.1f/s", metric(run, "requests.goodput")));
      row.push_back(count_cell(metric(run, "requests.timeouts")));
      row.push_back(count_cell(metric(run, "requests.late_responses")));
    }
    if (dropped || timeouts || rejected) row.push_back(count_cell(metric(run, "requests.failed")));
    table.add_row(std::move(row));
  }
  table.print(out, style, "  ");
}

void print_variant_table(std::ostream& out, const ScenarioResult& r, const Style& style) {
  using A = TextTable::Align;
  // A server's wall time is the load's length: no speed-up to compare.
  bool several = r.runs.size() > 1 && !std::any_of(r.runs.begin(), r.runs.end(), serves_requests);
  bool python_varies = !all_same(r.runs, [](const VariantRun& v) { return v.python; });
  bool cores_vary = !all_same(r.runs, [](const VariantRun& v) { return v.cores; });

  std::vector<std::string> header = {"variant"};
  std::vector<A> align = {A::Left};
  auto column = [&](const char* name, A a) {
    header.push_back(name);
    align.push_back(a);
  };
  if (python_varies) column("python", A::Left);
  if (cores_vary) column("cores", A::Right);
  column("wall", A::Right);
  if (several) column("speed-up", A::Left);
  column("busy cores", A::Right);
  column("GIL hand-offs", A::Right);
  column("drop requests", A::Right);
  column("context switches", A::Right);

  TextTable table(header, align);
  for (std::size_t i = 0; i < r.runs.size(); ++i) {
    const auto& run = r.runs[i];
    std::vector<std::string> row = {run.name};
    if (python_varies) row.push_back(run.python);
    if (cores_vary) row.push_back(std::to_string(run.cores));
    row.push_back(wall_cell(run));
    if (several) row.push_back(speedup_cell(run, r.runs.front(), i == 0));
    row.push_back(fixed2(metric(run, "cores.busy_avg")));
    row.push_back(count_cell(metric(run, "gil.handoffs")));
    row.push_back(count_cell(metric(run, "gil.drop_requests")));
    row.push_back(count_cell(metric(run, "os.context_switches")));
    table.add_row(std::move(row));
  }
  table.print(out, style, "  ");
}

// One row of the per-thread breakdown: a thread, or a group of many threads
// shown as their sum (the percentages are of the group's thread-time).
struct ThreadRow {
  std::string label;
  std::string owner;  // the metric name part: threads.OWNER.cpu
  int threads = 1;
};

std::vector<ThreadRow> thread_rows(const VariantRun& run) {
  constexpr int kMaxThreadsShown = 4;  // a bigger group is one row
  std::vector<ThreadRow> rows;
  for (const auto& [name, count] : run.groups) {
    if (count == 1) {
      rows.push_back({name, name, 1});
    } else if (count > kMaxThreadsShown) {
      rows.push_back({name + " (x" + std::to_string(count) + ")", name, count});
    } else {
      for (int i = 0; i < count; ++i) {
        std::string t = name + "_" + std::to_string(i);
        rows.push_back({t, t, 1});
      }
    }
  }
  return rows;
}

std::string time_share_cell(double seconds, double of) {
  if (std::isnan(seconds)) return "-";
  if (seconds == 0) return "-";
  std::string cell = format_duration(seconds);
  if (of > 0) {
    double p = 100 * seconds / of;
    if (p < 1) {
      cell += "  <1%";
    } else {
      cell += ' ';
      cell += printf_double("%3.0f%%", p);
    }
  }
  return cell;
}

void print_thread_table(std::ostream& out, const VariantRun& run, const Style& style) {
  using A = TextTable::Align;
  struct Column {
    const char* header;
    const char* metric;
    bool always;
  };
  // Bytecode (python) and native only split cpu when there is native time.
  static const Column kColumns[] = {
      {"cpu", "cpu", true},          {"python", "python", false},
      {"native", "native", false},   {"waiting for GIL", "gil_wait", true},
      {"waiting for lock", "lock_wait", false}, {"runnable", "runnable", false},
      {"waiting", "wait", false},    {"I/O", "io", false},
      {"sleep", "sleep", false},
  };
  auto rows = thread_rows(run);
  double wall = metric(run, "wall");
  auto value = [&](const ThreadRow& row, const char* m) {
    return metric(run, "threads." + row.owner + "." + m);
  };
  auto any_nonzero = [&](const char* m) {
    return std::any_of(rows.begin(), rows.end(), [&](const ThreadRow& row) {
      double v = value(row, m);
      return v != 0 && !std::isnan(v);
    });
  };
  bool has_native = any_nonzero("native");

  std::vector<const Column*> shown;
  for (const auto& c : kColumns) {
    bool split = std::string(c.metric) == "python" || std::string(c.metric) == "native";
    if (c.always || (split ? has_native : any_nonzero(c.metric))) shown.push_back(&c);
  }
  std::vector<std::string> header = {"thread"};
  std::vector<A> align = {A::Left};
  for (const Column* c : shown) {
    header.push_back(c->header);
    align.push_back(A::Right);
  }
  TextTable table(header, align);
  for (const auto& row : rows) {
    std::vector<std::string> cells = {row.label};
    for (const Column* c : shown) cells.push_back(time_share_cell(value(row, c->metric), wall * row.threads));
    table.add_row(std::move(cells));
  }
  std::string when = run.result.hit_time_limit ? "stopped at its time limit, " : "wall ";
  out << "  " << style.bold(run.name) << " (" << when
      << format_duration(metric(run, "wall")) << ")\n";
  table.print(out, style, "    ");
}

void print_figures(std::ostream& out, const ScenarioResult& r, const Style& style) {
  if (r.figures.empty()) return;
  out << "  " << style.bold("figures") << "\n";
  std::size_t width = 0;
  for (const auto& f : r.figures) width = std::max(width, display_width(f.label));
  for (const auto& f : r.figures) {
    std::string pad(width - display_width(f.label), ' ');
    out << "    " << f.label << pad << " = "
        << (f.value ? format_value(*f.value) : "- (a variant it reads did not run)") << "\n";
  }
}

void print_expectations(std::ostream& out, const ScenarioResult& r, const Style& style) {
  if (r.expectations.empty()) return;
  int failed = r.failed_expectations();
  int skipped = static_cast<int>(std::count_if(r.expectations.begin(), r.expectations.end(),
                                               [](const auto& e) { return e.verdict == Verdict::Skipped; }));
  int checked = static_cast<int>(r.expectations.size()) - skipped;
  std::string title = "expectations: ";
  if (checked) title += std::to_string(checked - failed) + " of " + std::to_string(checked) + " hold";
  if (skipped) title += std::string(checked ? ", " : "") + std::to_string(skipped) + " skipped";
  out << "  " << style.bold(title) << "\n";
  for (const auto& e : r.expectations) out << "    " << expectation_line(e, style) << "\n";
}

void print_time_limits(std::ostream& out, const ScenarioResult& r, const Style& style) {
  for (const auto& run : r.runs)
    if (run.result.hit_time_limit)
      out << "  " << style.red("error:") << " variant " << run.name
          << " did not finish within time_limit ("
          << format_duration(sim::to_seconds(run.time_limit)) << ")\n";
}

}  // namespace

std::string expectation_line(const ExpectationResult& e, const Style& style) {
  switch (e.verdict) {
    case Verdict::Holds:
      return style.green(style.ok_mark()) + " " + e.text;
    case Verdict::Skipped:
      return style.dim("- skipped (variant " + e.skipped_variant + " not run):") + " " + e.text;
    case Verdict::Fails:
      break;
  }
  std::string line = style.red(style.fail_mark()) + " " + e.text;
  if (!e.values.empty()) {
    line += "  (";
    for (std::size_t i = 0; i < e.values.size(); ++i) {
      if (i) line += ", ";
      line += e.values[i].first + " = " + format_value(e.values[i].second);
    }
    line += ")";
  }
  return line;
}

void print_summary(std::ostream& out, const ScenarioResult& r, const Style& style) {
  // The description wraps under the header, indented, at ~100 columns.
  std::string title = "scenario " + r.name;
  std::string header = style.bold(title);
  std::string description = wrap_text(r.description, 100);
  if (!description.empty()) {
    std::string text = title + " " + style.dash() + " " + description;
    auto lines = split_lines(wrap_text(text, 100));
    header = style.bold(title) + lines.front().substr(title.size());
    for (std::size_t i = 1; i < lines.size(); ++i) header += "\n  " + lines[i];
  }
  out << header << "\n  " << style.dim(setup_line(r)) << "\n\n";
  if (r.runs.empty()) {
    out << "  no variant of this scenario was selected (--variant)\n";
  } else {
    print_variant_table(out, r, style);
    out << "\n";
    if (r.replications > 1) {
      print_intervals(out, r, style);
      out << "\n";
    }
    if (std::any_of(r.runs.begin(), r.runs.end(), serves_requests)) {
      print_request_table(out, r, style);
      out << "\n";
    }
    for (const auto& run : r.runs) {
      print_thread_table(out, run, style);
      out << "\n";
    }
  }
  print_figures(out, r, style);
  print_expectations(out, r, style);
  print_time_limits(out, r, style);
  out << "\n";
}

// --- JSON ------------------------------------------------------------------

namespace {

// Small objects (an expectation, a figure) on one line: easy to grep and diff.
std::string inline_values(const std::vector<std::pair<std::string, double>>& values) {
  std::string out = "{";
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (i) out += ", ";
    out += sim::json_string(values[i].first) + ": " + sim::json_number(values[i].second);
  }
  return out + "}";
}

std::string variant_json(const VariantRun& run, int indent) {
  sim::JsonBlock v('{', indent);
  v.member("seed", std::to_string(run.seed));
  v.member("finished", run.result.hit_time_limit ? "false" : "true");
  sim::JsonBlock metrics('{', v.inner());
  for (const auto& [name, value] : run.result.metrics) metrics.member(name, sim::json_number(value));
  v.member("metrics", metrics.str());
  if (!run.intervals.empty()) {
    sim::JsonBlock ci95('{', v.inner());
    for (const auto& [name, m] : run.intervals) {
      // Appended piece by piece: GCC 12 warns falsely (-Wrestrict) on "[" + string.
      std::string pair(1, '[');
      pair += sim::json_number(m.low());
      pair += ", ";
      pair += sim::json_number(m.high());
      pair += ']';
      ci95.member(name, pair);
    }
    v.member("ci95", ci95.str());
  }
  return v.str();
}

std::string expectation_json(const ExpectationResult& e) {
  std::string holds = e.verdict == Verdict::Skipped ? "null"
                      : e.verdict == Verdict::Holds ? "true"
                                                    : "false";
  std::string out = "{\"expr\": " + sim::json_string(e.text) + ", \"holds\": " + holds;
  if (e.verdict == Verdict::Skipped)
    out += ", \"skipped\": " + sim::json_string("variant " + e.skipped_variant + " not run");
  return out + ", \"values\": " + inline_values(e.values) + "}";
}

std::string figure_json(const FigureResult& f) {
  return "{\"label\": " + sim::json_string(f.label) + ", \"expr\": " + sim::json_string(f.text) +
         ", \"value\": " + (f.value ? sim::json_number(*f.value) : "null") + "}";
}

std::string scenario_json(const ScenarioResult& r, int indent) {
  sim::JsonBlock o('{', indent);
  o.member("gilsim", sim::json_string(GILSIM_VERSION));
  o.member("scenario", sim::json_string(r.name));
  o.member("file", sim::json_string(r.file));
  o.member("description", sim::json_string(r.description));
  if (!r.claim.empty()) o.member("claim", sim::json_string(r.claim));
  o.member("seed", std::to_string(r.seed));
  if (!r.profile.empty()) o.member("profile", sim::json_string(r.profile));
  if (r.replications > 1) o.member("replications", std::to_string(r.replications));
  sim::JsonBlock variants('{', o.inner());
  for (const auto& run : r.runs) variants.member(run.name, variant_json(run, variants.inner()));
  o.member("variants", variants.str());
  sim::JsonBlock expectations('[', o.inner());
  for (const auto& e : r.expectations) expectations.element(expectation_json(e));
  o.member("expectations", expectations.str());
  sim::JsonBlock figures('[', o.inner());
  for (const auto& f : r.figures) figures.element(figure_json(f));
  o.member("figures", figures.str());
  return o.str();
}

}  // namespace

std::string csv_field(const std::string& s) {
  if (s.find_first_of(",\"\n\r") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

// CSV readers (pandas, R) read "nan" and "inf"; JSON's null has no CSV spelling.
std::string csv_number(double v) {
  std::string out;
  append_csv_number(out, v);
  return out;
}

void append_csv_number(std::string& out, double v) {
  if (std::isnan(v)) out += "nan";
  else if (std::isinf(v)) out += v > 0 ? "inf" : "-inf";
  else sim::append_json_number(out, v);
}

std::string results_json(const ScenarioResult& result) { return scenario_json(result, 0) + "\n"; }

std::string results_json(const std::vector<ScenarioResult>& results) {
  if (results.size() == 1) return results_json(results.front());
  return results_json_array(results);
}

std::string results_json_array(const std::vector<ScenarioResult>& results) {
  sim::JsonBlock array('[', 0);
  for (const auto& r : results) array.element(scenario_json(r, array.inner()));
  return array.str() + "\n";
}

std::string results_csv(const std::vector<ScenarioResult>& results) {
  // With replications, three more columns: value is the mean.
  const bool replicated =
      std::any_of(results.begin(), results.end(), [](const ScenarioResult& r) { return r.replications > 1; });
  std::string out = replicated ? "scenario,variant,seed,metric,value,replications,ci95_low,ci95_high\n"
                               : "scenario,variant,seed,metric,value\n";
  for (const auto& r : results)
    for (const auto& run : r.runs)
      for (const auto& [name, value] : run.result.metrics) {
        out += csv_field(r.name) + "," + csv_field(run.name) + "," + std::to_string(run.seed) +
               "," + csv_field(name) + "," + csv_number(value);
        if (replicated) {
          auto m = run.intervals.find(name);
          out += ',';
          out += std::to_string(r.replications);
          out += ',';
          if (m != run.intervals.end()) out += csv_number(m->second.low());
          out += ',';
          if (m != run.intervals.end()) out += csv_number(m->second.high());
        }
        out += "\n";
      }
  return out;
}

}  // namespace report
