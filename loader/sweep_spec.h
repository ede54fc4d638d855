// The `sweep` key of a scenario file, and the axis syntax the command line
// shares with it (docs/sweeps.md):
//
//   sweep:
//     axes:
//       runtime.switch_interval: [10us, 100us, 1ms]   # a list of values
//       threads.0.count: 1..8                           # an inclusive integer range
//     replications: 3                                   # default 1
//     fit: {x: threads.0.count, time: wall}              # optional; or throughput: COL; by: COL
//     saturation: {load: requests.0.arrival.poisson,     # optional: where each server saturates
//                  slo: {p99: 200ms}}                    #   (and metrics, tolerance, by)
//
// `run` accepts and validates the key but ignores it; `check` also loads
// and validates every point of the sweep; `gilsim sweep` (analysis/sweep.h)
// runs it. Where an axis's path leads is judged only when
// the sweep applies it (analysis/sweep_axes.h).
#pragma once

#include <yaml-cpp/yaml.h>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "loader/durations.h"
#include "loader/input_error.h"
#include "loader/saturation_request.h"
#include "loader/schema.h"
#include "loader/yaml_source.h"

namespace loader {

// One value of an axis: a YAML scalar as written. `quoted` keeps "3.12" a
// string where 3.12 would be a number.
struct AxisValue {
  std::string text;
  bool quoted = false;
  bool operator==(const AxisValue&) const = default;
};

// The value as YAML writes it: the text, or the text double-quoted.
std::string yaml_spelling(const AxisValue& value);
// The value of a YAML scalar node.
AxisValue axis_value(const YAML::Node& scalar);

struct SweepAxis {
  std::string path;               // dot-separated, as written: "threads.0.count"
  std::vector<AxisValue> values;  // at least one, in the order written
  SourcePos pos;                  // the path's place in the file; line 0 on the command line
  bool from_command_line = false;
  // How messages name the axis: "the axis 'P'" or "the command-line axis 'P'".
  std::string describe() const;
};

// `sweep.fit`: what `gilsim sweep` fits when every point is done, exactly as
// `gilsim fit RESULTS.csv --x X (--throughput Y | --time Y) --by BY` would
// (app/fit_command.h). Whether `x` is an axis is judged where the sweep is
// prepared (the command line may add axes); whether `y` and `by` are columns
// only once the CSV exists (metric names come from the runs).
struct SweepFit {
  std::string x;
  std::string y;
  bool time = false;  // `time: COL` (a wall time, fitted as 1/T); false: `throughput: COL`
  std::string by = "variant";
  SourcePos pos;    // the `fit` key's place
  SourcePos x_pos;  // the value of `x`
};

// `sweep.saturation`: what `gilsim sweep` analyses when every point is done,
// exactly as `gilsim saturation RESULTS.csv --load LOAD [--slo M=D]...
// --metrics P --tolerance T --by BY` would (app/saturation_command.h). As for
// the fit, `load` must be an axis; the columns are judged once the CSV exists.
struct SweepSaturation {
  SaturationRequest request;  // its csv is the sweep's results; settings named "sweep.saturation."
  SourcePos pos;              // the `saturation` key's place
  SourcePos load_pos;         // the value of `load`
};

struct SweepSpec {
  std::vector<SweepAxis> axes;  // in file order
  int replications = 1;
  std::optional<SweepFit> fit;
  std::optional<SweepSaturation> saturation;
};

// Limits that catch a typo (1..80000000) before it becomes a week of runs.
inline constexpr int kMaxAxisValues = 100000;
inline constexpr int kMaxReplications = 100000;

// True when `text` is meant as a range: it has "..".
bool looks_like_range(std::string_view text);
// "A..B" with whole numbers A <= B: the values A, A+1, ..., B.
ParseResult<std::vector<AxisValue>> parse_range(std::string_view text);

// A path's syntax: dot-separated, no empty part. Empty when valid, else the problem.
std::string path_problem(std::string_view path);

// A command-line axis `PATH=VALUES`: VALUES is a YAML list of scalars
// (`[10us, "3.12"]`), a range `A..B`, or one scalar value.
ParseResult<SweepAxis> parse_axis_argument(std::string_view argument);

// The `sweep` key's value, validated; errors point into the file.
SweepSpec read_sweep(const YamlSource& src, const YAML::Node& node);

// The reference's sections: sweep, sweep.fit, sweep.saturation.
std::vector<SectionDoc> sweep_docs();

}  // namespace loader
