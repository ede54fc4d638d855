#include "app/commands.h"

#include <algorithm>
#include <filesystem>
#include <streambuf>

#include "loader/input_error.h"

namespace app {

namespace fs = std::filesystem;

bool results_to_stdout(const Args& a) {
  return a.trace == "-" || a.svg == "-" || a.json == "-" || a.csv == "-";
}

namespace {
// What --quiet writes the tables to.
class NullBuffer : public std::streambuf {
 protected:
  int overflow(int c) override { return c == traits_type::eof() ? traits_type::not_eof(c) : c; }
  std::streamsize xsputn(const char*, std::streamsize n) override { return n; }
};
}  // namespace

std::ostream& summary_stream(const Args& a, const Console& c) {
  static NullBuffer nothing;
  static std::ostream null(&nothing);
  if (a.quiet) return null;
  return results_to_stdout(a) ? c.err : c.out;
}

bool summary_is_tty(const Args& a, const Console& c) {
  return !a.quiet && (results_to_stdout(a) ? c.err_is_tty : c.out_is_tty);
}

void print_input_error(std::ostream& err, const std::string& what) {
  err << what;
  if (what.empty() || what.back() != '\n') err << "\n";
}

Loaded load_files(const std::vector<std::string>& files, const loader::LoadOptions& load, std::ostream& err) {
  Loaded loaded;
  for (const auto& f : files) {
    std::error_code ec;
    if (!fs::exists(f, ec)) {
      err << "gilsim: " << f << ": no such file\n";
      loaded.all_ok = false;
      continue;
    }
    if (fs::is_directory(f, ec)) {
      err << "gilsim: " << f << ": is a directory, not a scenario file\n";
      loaded.all_ok = false;
      continue;
    }
    try {
      loaded.scenarios.push_back(loader::load_scenario_file(f, load));
    } catch (const loader::InputError& e) {
      print_input_error(err, e.what());
      loaded.all_ok = false;
    }
  }
  return loaded;
}

void check_variants(const std::vector<std::string>& wanted, const std::vector<loader::Scenario>& scenarios) {
  std::vector<std::string> known;
  for (const auto& s : scenarios)
    for (const auto& v : s.variants)
      if (std::find(known.begin(), known.end(), v.name) == known.end()) known.push_back(v.name);
  for (const auto& name : wanted) {
    if (std::find(known.begin(), known.end(), name) != known.end()) continue;
    std::string message = "unknown variant '" + name + "'";
    std::string close = loader::closest_match(name, known);
    if (!close.empty()) message += "; did you mean '" + close + "'?";
    std::string list;
    for (const auto& k : known) list += (list.empty() ? "" : ", ") + k;
    message += " (variants: " + list + ")";
    throw request_error(message);
  }
}

std::optional<ResultsOutput> open_results(const std::string& path, std::ostream& out) {
  if (path.empty()) return std::nullopt;
  return std::optional<ResultsOutput>(std::in_place, path, out);
}

std::string insert_before_extension(const std::string& path, const std::string& tag) {
  auto slash = path.find_last_of('/');
  auto name_start = slash == std::string::npos ? 0 : slash + 1;
  auto dot = path.find_last_of('.');
  if (dot == std::string::npos || dot <= name_start) return path + "." + tag;
  return path.substr(0, dot) + "." + tag + path.substr(dot);
}

}  // namespace app
