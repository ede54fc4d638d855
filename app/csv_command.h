// What the commands that analyse a sweep's CSV (`gilsim fit`, `gilsim
// saturation`) share: their command line (options and one CSV file), reading
// the CSV (the reader's errors, unknown columns and bad cells all become
// InputErrors at the CSV's file and line: exit code 2), and writing the JSON.
#pragma once

#include <boost/program_options.hpp>
#include <functional>
#include <optional>
#include <ostream>
#include <string>

#include "analysis/csv.h"
#include "app/cli.h"

namespace app {

// Reads and parses `path`; a CsvError becomes an InputError.
analysis::CsvTable read_csv_input(const std::string& path);

// The column's index. An unknown name is an error at the header naming
// `setting` (like "--x" or "sweep.fit.x"), with a "did you mean" among the
// header's columns and the list of them.
int require_column(const analysis::CsvTable& t, const std::string& name, const std::string& setting);

// A cell as a number that must be finite and above 0 (`positive`) or at
// least 0. `need` says who needs it in the message ("a fit").
double number_cell(const analysis::CsvTable& t, const analysis::CsvRecord& r, int col, bool positive,
                   const std::string& need);

// The command line of such a command: its options and one positional CSV
// file, abbreviations not guessed. Throws boost::program_options::error.
class CsvCommandLine {
 public:
  // `command` names it in messages ("fit").
  CsvCommandLine(int argc, const char* const* argv, const boost::program_options::options_description& options,
                 const std::string& command);
  bool help() const { return values_.count("help") > 0; }
  const std::string& csv() const { return csv_; }
  bool has(const char* name) const { return values_.count(name) > 0; }
  // The option's value, or empty when it is not given; an empty value is a usage error.
  std::string text(const char* name) const;
  const boost::program_options::variables_map& values() const { return values_; }

 private:
  boost::program_options::variables_map values_;
  std::string csv_;
};

// Runs an analysis and writes its JSON to `json_path` (empty: none; "-":
// standard output), whole or not at all. The file is opened first, so a path
// that cannot be written fails (InputError naming `what`) before the work.
// `analyse(table, tty)` prints its table to `table` (standard output, or
// standard error when the JSON takes standard output) and returns the JSON,
// or nothing when it failed: then exit code 2 and no file.
int run_csv_analysis(const std::string& json_path, const std::string& what, const Console& console,
                     const std::function<std::optional<std::string>(std::ostream& table, bool tty)>& analyse);

}  // namespace app
