// `gilsim validate`'s suite and its comparison (docs/validation.md): real
// Python programs (validation/NAME.py) beside their gilsim twins
// (validation/NAME.yaml). A case runs one program with its arguments; each of
// its rows compares one value the program printed (the median over the
// repeats) with one figure of the twin, run with the settings the case takes
// from the program's own measurements, under a machine profile.
//
// Nothing here runs Python: the command (app/validate_command.cc) collects
// the programs' JSON lines, and the tests give recorded ones.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "loader/scenario.h"

namespace analysis {

// How far a prediction may be from the measurement and still agree.
struct Tolerance {
  enum class Kind { Relative, Factor } kind = Kind::Relative;
  double value = 0.25;    // Relative: |predicted / measured - 1| <= value; Factor: either way at most value x
  double absolute = 0.0;  // also agrees when |predicted - measured| <= absolute (fractions near 0)
  bool agrees(double measured, double predicted) const;
  std::string describe() const;  // "±25 %", "2x", "3x or ±0.02"
};

// A setting of the twin: a sweep-style path ("threads.0.count",
// "variants.sequential.threads.0.run.0.repeat") and its value, a template in
// which {KEY} is the median of the program's value KEY (a whole number when
// it is one: counts, nanoseconds) and {KEY/N} that median divided by N;
// {KEY|OTHER} takes OTHER (a key or a number) when no run printed KEY.
struct TwinSetting {
  std::string path;
  std::string value;
};

struct ValidationRow {
  std::string label;     // what is compared, after the case's label
  std::string measured;  // the program's JSON key
  std::string figure;    // the twin's figure label
  Tolerance tolerance;
};

// Which interpreters a case applies to.
enum class Interpreters { All, NewGil /* 3.2+: sys.setswitchinterval */, Contexts /* 3.4+: get_context */ };

struct ValidationCase {
  std::string id;       // unique: "countdown-2-all"
  std::string label;    // "count-down, 2 threads, all CPUs"
  std::string program;  // validation/PROGRAM.py and validation/PROGRAM.yaml
  std::vector<std::string> args;
  Interpreters interpreters = Interpreters::All;
  std::vector<TwinSetting> twin;
  std::vector<ValidationRow> rows;
};

// The suite, in the order it runs and prints.
const std::vector<ValidationCase>& validation_suite();

// Whether an interpreter of version "MAJOR.MINOR" runs the case.
bool applies(const ValidationCase& c, const std::string& python);

// One program run's JSON line: its numbers (strings are left out) and its
// "python". Throws std::runtime_error when the line is not such an object.
struct ProgramOutput {
  std::string python;
  std::map<std::string, double> values;
};
ProgramOutput parse_program_output(const std::string& json_line);

// The repeats of one case with one interpreter.
struct Samples {
  std::string python;  // "3.12"
  std::vector<ProgramOutput> runs;
};

struct Spread {
  double median = 0, low = 0, high = 0;  // the median, the smallest and the largest
  int n = 0;
};
// The spread of KEY over the runs; nullopt when no run printed it.
std::optional<Spread> spread_of(const Samples& s, const std::string& key);

// The twin's settings with the templates filled from the medians. Throws
// std::runtime_error naming the key when a template reads a value no run
// printed (a program and its case out of step: a bug).
std::vector<TwinSetting> twin_settings(const ValidationCase& c, const Samples& s);

// A twin's figures by label: over its runs, the median and range.
using TwinFigures = std::map<std::string, Spread>;

// Runs the twin of `c` (its YAML text, from file `file`) with `settings`
// applied, under `load` (the profile), `seeds` times: with seeds 1..seeds
// (or from load.seed on, with --seed), as many at a time as `jobs`. The
// real programs' figures are medians over runs, and on a contended GIL one
// twin run is one draw of the wake-up latencies: 8 threads at 1 us with
// 1 ns of slack gave 4.1x to 16.5x over five seeds (validate's measured
// runs: 6.4x to 16.7x), so the twin's median is compared. Throws
// loader::InputError for a twin that does not load.
TwinFigures predict(const std::string& file, const std::string& text, const std::vector<TwinSetting>& settings,
                    const loader::LoadOptions& load, int seeds = 1, unsigned jobs = 1);
// The medians alone.
std::map<std::string, double> medians(const TwinFigures& figures);

struct RowResult {
  std::string case_id;
  std::string label;  // the case's label, then the row's
  std::string python;
  Spread measured;
  std::optional<Spread> predicted;  // over the twin's runs; none when the twin has no such figure
  Tolerance tolerance;
  bool within = false;
};

// The case's rows for one interpreter: each measured spread against the
// twin's figure.
std::vector<RowResult> compare(const ValidationCase& c, const Samples& s, const TwinFigures& figures);

// The table `gilsim validate` prints: a row per comparison, and a last line
// counting the rows within their tolerance.
std::string format_rows(const std::vector<RowResult>& rows);
// The same as JSON (--json): {"profile": ..., "load": ..., "rows": [...]}.
std::string rows_json(const std::vector<RowResult>& rows, const std::string& profile, const std::string& notes);

}  // namespace analysis
