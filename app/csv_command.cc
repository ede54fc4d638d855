#include "app/csv_command.h"

#include <cmath>
#include <vector>

#include "app/output_names.h"
#include "loader/input_error.h"
#include "sim/output_file.h"

namespace app {

analysis::CsvTable read_csv_input(const std::string& path) {
  try {
    return analysis::read_csv_file(path);
  } catch (const analysis::CsvError& e) {
    throw loader::InputError(loader::SourcePos{e.file(), e.line(), e.column()}, e.message(), e.source_line());
  }
}

int require_column(const analysis::CsvTable& t, const std::string& name, const std::string& setting) {
  int i = t.column(name);
  if (i >= 0) return i;
  std::string message = setting + ": no column '" + name + "' in the header";
  std::string close = loader::closest_match(name, t.header);
  if (!close.empty()) message += "; did you mean '" + close + "'?";
  std::string list;
  for (const auto& h : t.header) list += (list.empty() ? "" : ", ") + h;
  throw loader::InputError(loader::SourcePos{t.file, 1, 0}, message + " (columns: " + list + ")", t.line_text(1));
}

double number_cell(const analysis::CsvTable& t, const analysis::CsvRecord& r, int col, bool positive,
                   const std::string& need) {
  const std::string& cell = r.fields[col];
  auto v = analysis::parse_number(cell);
  loader::SourcePos pos{t.file, r.line, 0};
  if (!v)
    throw loader::InputError(pos, "column '" + t.header[col] + "': expected a number, found '" + cell + "'",
                     t.line_text(r.line));
  if (!std::isfinite(*v) || (positive ? *v <= 0 : *v < 0))
    throw loader::InputError(pos,
                     "column '" + t.header[col] + "': " + need + " needs a " +
                         (positive ? "positive finite number" : "finite number at least 0") + ", found " + cell,
                     t.line_text(r.line));
  return *v;
}

namespace po = boost::program_options;

CsvCommandLine::CsvCommandLine(int argc, const char* const* argv, const po::options_description& options,
                               const std::string& command) {
  po::options_description all = options;
  all.add_options()("csv", po::value<std::vector<std::string>>());
  po::positional_options_description positional;
  positional.add("csv", -1);
  const int style = po::command_line_style::default_style & ~po::command_line_style::allow_guessing;
  try {
    po::store(po::command_line_parser(argc, argv).options(all).positional(positional).style(style).run(), values_);
  } catch (const po::unknown_option& e) {
    // The did-you-mean among this command's own options, without dashes.
    std::vector<std::string> names;
    for (const auto& o : options.options()) names.push_back(o->long_name());
    throw po::error("unknown option '" + e.get_option_name() + "'" +
                    loader::did_you_mean_option(e.get_option_name(), names));
  }
  if (help()) return;
  std::vector<std::string> files;
  if (values_.count("csv")) files = values_["csv"].as<std::vector<std::string>>();
  if (files.size() != 1)
    throw po::error("'" + command + "' takes exactly one CSV file (a sweep's results), got " +
                    std::to_string(files.size()));
  csv_ = files[0];
}

std::string CsvCommandLine::text(const char* name) const {
  if (!values_.count(name)) return {};
  std::string v = values_[name].as<std::string>();
  if (v.empty()) throw po::error(std::string("--") + name + " wants a value, not an empty string");
  return v;
}

int run_csv_analysis(const std::string& json_path, const std::string& what, const Console& c,
                     const std::function<std::optional<std::string>(std::ostream& table, bool tty)>& analyse) {
  check_output_name("--json", json_path);
  std::optional<sim::OutputFile> json;
  if (!json_path.empty() && json_path != "-") {
    try {
      json.emplace(json_path);
    } catch (const std::runtime_error& e) {
      throw loader::InputError(loader::SourcePos{}, "cannot write the " + what + ": " + e.what());
    }
  }
  const bool json_to_stdout = json_path == "-";
  const std::optional<std::string> text =
      analyse(json_to_stdout ? c.err : c.out, json_to_stdout ? c.err_is_tty : c.out_is_tty);
  if (!text) return kExitBadInput;
  if (json_to_stdout) c.out << *text;
  if (json) {
    json->write(*text);
    json->commit();
  }
  return kExitOk;
}

}  // namespace app
