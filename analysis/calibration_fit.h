// `gilsim calibrate`'s fit: the microbenchmarks' measurements
// (validation/calibrate.py, one JSON line per interpreter) into a machine
// profile's values (loader/profile.h, docs/profiles.md).
//
// Each profile key is one row of the fit table (calibration_fit.cc): the
// series of measurements it is fitted to, the part of the line it takes (a
// series y = a + b x: a, the intercept, or b, the slope), which interpreters'
// measurements count, and a scale. Where several measurements constrain one
// parameter (several interpreters, several sizes) it is a weighted least-
// squares fit (Eigen), each point weighted by the inverse square of its
// spread over the rounds.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace analysis {

// One measurement of one interpreter: a series' value at size x, per round.
struct CalibrationMeasurement {
  std::string python;  // "3.12"
  std::string name;    // the series: "pickle_bytes"
  double x = 0;        // its size (bytes, workers), 0 when it has none
  std::vector<double> rounds;  // ns (or per second for rates), one per round
};

// calibrate.py's JSON line: {"python": ..., "cpus": N, "measurements": [...]}.
// Throws std::runtime_error when it is not one.
struct CalibrationOutput {
  std::string python;
  int cpus = 0;
  std::string system, kernel;  // platform.system(), platform.release(); empty in older recordings
  std::vector<CalibrationMeasurement> measurements;
};
CalibrationOutput parse_calibration_output(const std::string& json_line);

enum class FitPart { Intercept, Slope };
// Which interpreters' measurements a key is fitted to: all, 2.x's, 3.x's, or
// only the newest measured (a cost that differs by version: a profile holds
// one value, for the interpreter it is most likely used with).
enum class FitVersions { All, OldGil /* 2.x */, NewGil /* 3.x */, Newest };
enum class FitUnit { Duration, PerByte };

// A row of the fit table: one profile key.
struct FitRow {
  const char* key;     // "runtime.pickle_per_byte": the profile's section and key
                       // ("runtime.process_startup.fork": a key of a map in it)
  const char* series;  // the measurements it is fitted to
  FitPart part;
  FitVersions versions;
  double scale;        // the parameter is scale x the fitted part
  FitUnit unit;
  const char* how;     // the comment: what the series measures and why it gives the key
  // A series whose fit (the same part and versions) is taken off, when it is
  // measured: a share of `series` that another key holds. Null: none.
  const char* less = nullptr;
  // A series taken off too when the newest measured Python's fork_exec
  // forks (before 3.10: models/config.h, fork_exec_forks): the profile holds
  // a vfork Python's value, and the model adds the fork for older ones.
  const char* less_when_fork_exec_forks = nullptr;
};
const std::vector<FitRow>& fit_table();

// Series measured that no profile key takes yet: written as comments.
struct UnkeyedSeries {
  const char* series;
  const char* what;
};
const std::vector<UnkeyedSeries>& unkeyed_series();

struct FittedValue {
  const FitRow* row = nullptr;
  double value = 0;       // ns, or ns per byte
  int points = 0;         // the measurements that constrained it
  bool clamped = false;   // the fit was below the key's least value
};

// The fitted value of every row that has measurements.
std::vector<FittedValue> fit_profile(const std::vector<CalibrationMeasurement>& measurements);

// The median and the range of a measurement's rounds.
struct RoundSpread {
  double median = 0, low = 0, high = 0;
};
RoundSpread round_spread(const std::vector<double>& rounds);

// A value as the profile writes it: the key, its YAML text (a duration, or a
// distribution), and the comment above it that says what measured it.
struct ProfileValue {
  std::string key;  // "machine.wakeup_latency"
  std::string text;
  std::string comment;
};
// The fitted values as the profile writes them, in the fit table's order.
std::vector<ProfileValue> profile_values(const std::vector<FittedValue>& fitted,
                                         const std::vector<CalibrationMeasurement>& measurements);
// Replaces the value of the same key, or adds it at the end.
void set_value(std::vector<ProfileValue>& values, ProfileValue v);
const ProfileValue* find_value(const std::vector<ProfileValue>& values, const std::string& key);

// The OS the measurements ran on, as calibrate.py reports it.
struct MeasuredOs {
  std::string system, kernel;  // "Linux", "6.18.44-fc-v1272"; empty in older recordings
};
// machine.scheduler from the kernels the measurements ran on: Linux 6.6
// replaced CFS with EEVDF. Nothing when none is known, when one is not
// Linux (gilsim models Linux's policies only), or when the releases
// disagree about it.
std::optional<ProfileValue> fit_scheduler(const std::vector<MeasuredOs>& oses);

// "3.12: 12.3us (11.0us..14.1us, 5 rounds); 2.7: ..." for each of the
// series' measurements by the interpreters that count (rates per second).
std::string measured_text(const std::vector<CalibrationMeasurement>& all, const std::string& series, bool rate,
                          FitVersions versions = FitVersions::All);
std::string ns_text(double ns);  // "12.3us"

// The profile's YAML text: its name, description and CPU model, machine.cores,
// every value with the measurements behind it as a comment, and every
// measurement without a key, as comments. It loads with --profile.
struct ProfileHeader {
  std::string name, description, cpu;
  int cores = 0;  // 0: not written
};
std::string write_profile(const ProfileHeader& header, const std::vector<ProfileValue>& values,
                          const std::vector<CalibrationMeasurement>& measurements);
std::string write_profile(const ProfileHeader& header, const std::vector<FittedValue>& fitted,
                          const std::vector<CalibrationMeasurement>& measurements);

}  // namespace analysis
