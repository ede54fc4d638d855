// What a run says to its reader: the terminal summary (a person, at a
// glance), and the JSON and CSV results (a program; exact, deterministic).
//
// JSON and CSV are byte-identical for the same scenario and seed: numbers are
// printed in their shortest round-trip form, independent of the locale.
#pragma once

#include <ostream>
#include <string>
#include <vector>

#include "report/runner.h"
#include "sim/json.h"

namespace report {

// How the terminal output may look: colours and ✓/✗ only on a terminal;
// plain ASCII words otherwise (logs, pipes, CI).
struct Style {
  bool tty = false;
  std::string bold(const std::string& s) const;
  std::string green(const std::string& s) const;
  std::string red(const std::string& s) const;
  std::string dim(const std::string& s) const;
  std::string ok_mark() const;    // "✓" or "ok"
  std::string fail_mark() const;  // "✗" or "FAIL"
  std::string dash() const;       // "—" or "-"
};

// --- numbers ---------------------------------------------------------------

// A duration given in seconds, for people: 3 significant digits in the unit
// that puts it in [1, 1000): "250 ms", "1.02 s", "12.3 us", "0 s".
std::string format_duration(double seconds);

// A value an expression read or a figure, for people: integers as integers,
// otherwise 4 significant digits ("1.023", "0.0005").
std::string format_value(double v);

// --- the terminal ----------------------------------------------------------

// The summary of one scenario: header, variant table, per-variant thread
// breakdown, figures, expectations.
void print_summary(std::ostream& out, const ScenarioResult& result, const Style& style);

// With replications: each metric, but the per-thread ones, as "mean +-
// half-width" per variant (report/intervals_table.cc).
void print_intervals(std::ostream& out, const ScenarioResult& result, const Style& style);

// "✓ EXPR", or "✗ EXPR  (PATH = VALUE, ...)", or "- skipped (variant X not run): EXPR".
std::string expectation_line(const ExpectationResult& e, const Style& style);

// A table of text in aligned columns. A cell may hold several lines
// ('\n'); the row is as tall as its tallest cell. Widths count UTF-8 code
// points and skip colour escapes, so ✓ and coloured cells line up.
class TextTable {
 public:
  enum class Align { Left, Right };
  explicit TextTable(std::vector<std::string> header, std::vector<Align> align = {});
  void add_row(std::vector<std::string> cells);
  // Each line is prefixed by `indent`; columns are separated by two spaces.
  void print(std::ostream& out, const Style& style, const std::string& indent = "") const;

 private:
  std::vector<std::string> header_;
  std::vector<Align> align_;
  std::vector<std::vector<std::string>> rows_;
};

// `text` broken into lines of at most `width` columns at spaces (a longer
// word keeps its own line); runs of whitespace, newlines included, become one space.
std::string wrap_text(const std::string& text, std::size_t width);

// Display width of `s`: code points, not counting ANSI colour escapes.
std::size_t display_width(const std::string& s);

// --- results files -------------------------------------------------------------

// A CSV cell (RFC 4180): quoted, with `"` doubled, when it holds , " or a line break.
std::string csv_field(const std::string& s);
// A CSV number: json_number, but "nan", "inf" and "-inf" for what JSON calls null.
std::string csv_number(double v);
// The same, appended to `out` (a sweep's CSV writes millions).
void append_csv_number(std::string& out, double v);

// The JSON object of one scenario (docs/commands.md), with the
// extensions "file", "description", "claim" (when set), per-variant "seed" and
// "finished", and "figures". Ends with a newline.
std::string results_json(const ScenarioResult& result);
// One scenario: its object; several (or none): an array of them.
std::string results_json(const std::vector<ScenarioResult>& results);
// Always an array (the claims suite's results).
std::string results_json_array(const std::vector<ScenarioResult>& results);

// Tidy CSV: a header `scenario,variant,seed,metric,value`, then one row per
// (scenario, variant, metric), metrics in name order.
std::string results_csv(const std::vector<ScenarioResult>& results);

}  // namespace report
