#include "loader/scenario_reference.h"

#include <cctype>
#include <sstream>

#include "loader/durations.h"
#include "loader/program_compiler.h"
#include "loader/scenario.h"
#include "loader/scenario_config.h"
#include "loader/scenario_distribution.h"
#include "loader/scenario_pools.h"
#include "loader/scenario_requests.h"
#include "loader/scenario_threads.h"
#include "loader/sizes.h"
#include "loader/sweep_spec.h"

namespace loader {

namespace {

void append(std::vector<SectionDoc>& out, const std::vector<SectionDoc>& more) {
  out.insert(out.end(), more.begin(), more.end());
}

// The sections of the file itself, from the top level down.
std::vector<SectionDoc> file_sections() {
  const std::vector<SectionDoc> scenario = scenario_docs();  // the scenario, a figure
  std::vector<SectionDoc> out = {scenario.front()};
  append(out, settings_docs());
  append(out, thread_docs());
  append(out, pool_docs());
  append(out, request_docs());
  append(out, {scenario.begin() + 1, scenario.end()});
  append(out, sweep_docs());
  return out;
}

// A table cell: `|` would end it.
std::string cell(const std::string& text) {
  std::string out;
  for (char c : text) out += c == '|' ? std::string("\\|") : std::string(1, c);
  return out;
}

// The anchor a Markdown renderer gives a heading: "a thread" -> a-thread.
std::string anchor(const std::string& title) {
  std::string out;
  for (char c : title) {
    if (std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-') out += static_cast<char>(std::tolower(c));
    if (c == ' ') out += '-';
  }
  return out;
}

// The type of a key, with the section it holds as a link.
std::string type_cell(const KeyDoc& k, const std::vector<SectionDoc>& sections) {
  std::string type = cell(k.type);
  for (const auto& s : sections)
    if (!k.items.empty() && s.title == k.items) {
      const std::size_t at = type.rfind(k.items);
      if (at != std::string::npos) type.replace(at, k.items.size(), "[" + k.items + "](#" + anchor(k.items) + ")");
    }
  return type;
}

void render_section(std::ostream& out, const SectionDoc& s, const std::vector<SectionDoc>& all) {
  out << "### " << s.title << "\n\n" << "Where: " << s.place << ".\n\n" << s.doc << "\n\n";
  out << "| key | type | unit | default | meaning |\n|---|---|---|---|---|\n";
  for (const auto& k : s.keys)
    out << "| `" << k.key << "` | " << type_cell(k, all) << " | " << cell(k.unit) << " | " << cell(k.fallback)
        << " | " << cell(k.doc) << " |\n";
  out << "\n";
}

void render_values(std::ostream& out) {
  out << "## Values\n\n"
      << "| type | how it is written |\n|---|---|\n"
      << "| duration | a number and a unit, " << kUnitList << ", like `250ms` or `1.5s` (a space may come "
      << "between); a bare number is an error, and so is a negative one |\n"
      << "| duration or distribution | a duration, or a distribution (below), drawn anew each time |\n"
      << "| duration per byte | a duration in nanoseconds that may be a fraction, like `0.35ns` |\n"
      << "| integer | a whole number; `_` may separate digits (`1_000_000`), and `1e6` is a million |\n"
      << "| number | a decimal number |\n"
      << "| true or false | `true` or `false`, nothing else |\n"
      << "| rate | " << kRateForms << ", above 0 |\n"
      << "| size | a number and a unit, " << kSizeUnitList << ", like `1KB` or `4MiB` |\n"
      << "| name | letters, digits and `_`, not starting with a digit, so that it can stand in expressions |\n"
      << "| text | any text; quote it when YAML would read it as something else (`\"3.10\"`) |\n"
      << "| expression | arithmetic and comparisons of VARIANT.METRIC paths, VARIANT.machine.KEY and "
      << "VARIANT.runtime.KEY settings, numbers and durations (a duration is a number of seconds there) |\n"
      << "| list of core numbers | like `[0, 1]`, each below the machine's cores |\n"
      << "| list of operations | see [Operations](#operations) |\n\n";
  out << "### Distributions\n\n| distribution | written | meaning |\n|---|---|---|\n";
  for (const auto& d : distribution_docs())
    out << "| `" << d.name << "` | `" << d.form << "` | " << cell(d.doc) << " |\n";
  out << "\n";
}

void render_operations(std::ostream& out, const std::vector<SectionDoc>& all) {
  out << "## Operations\n\n"
      << "A `run:` list holds operations, one per list item (`- cpu: 10ms`), run in order. An operation's "
      << "own key says what it is; the keys beside it (`run`, `args`, `result`, `tasks`) complete it. "
      << "Where: a thread's `run` (and a request's, when threads serve its stream), an asyncio task's "
      << "(and a request's, when an asyncio loop serves its stream), or the work a pool's worker runs.\n\n"
      << "| operation | takes | beside it | where | meaning |\n|---|---|---|---|---|\n";
  for (const auto& o : operation_docs()) {
    std::string beside;
    for (const auto& c : o.companions) beside += (beside.empty() ? "`" : ", `") + c + "`";
    std::string value = cell(o.value);
    for (const auto& s : all)
      if (const std::size_t at = value.rfind("see " + s.title); at != std::string::npos &&
                                                                at + 4 + s.title.size() == value.size())
        value.replace(at + 4, s.title.size(), "[" + s.title + "](#" + anchor(s.title) + ")");
    out << "| `" << o.name << "` | " << value << " | " << beside << " | " << o.places << " | " << cell(o.doc)
        << " |\n";
  }
  out << "\n| beside an operation | meaning |\n|---|---|\n";
  for (const auto& c : ProgramCompiler::companions()) out << "| `" << c.name << "` | " << cell(c.doc) << " |\n";
  out << "\n";
}

}  // namespace

std::vector<SectionDoc> reference_sections() {
  std::vector<SectionDoc> out = file_sections();
  append(out, ProgramCompiler::option_docs());
  return out;
}

std::vector<OperationDoc> operation_docs() {
  std::vector<OperationDoc> out;
  for (const auto& o : ProgramCompiler::table()) {
    std::vector<std::string> places;
    if (o.places & kThread) places.push_back("a thread");
    if (o.places & kTask) places.push_back("an asyncio task");
    if (o.places & kWork) places.push_back("a pool's work");
    out.push_back({o.name, o.value, o.companions, join_words(places, ", "), o.doc});
  }
  return out;
}

std::string scenario_reference() {
  const std::vector<SectionDoc> all = reference_sections();
  std::ostringstream out;
  out << "# Scenario reference\n\n"
      << "<!-- Made from the loader's tables by tests/loader/schema_test.cc; do not edit it by hand. After a "
      << "change to a table, run `GILSIM_UPDATE_REFERENCE=1 build/gilsim_loader_tests -ts=schema` to "
      << "write it again. -->\n\n"
      << "A scenario file is one YAML map. This reference lists every key it may have, section by section, "
      << "and every operation of a `run:` list. The tables are the loader's own: it checks the keys a file "
      << "writes against them (an unknown key is an error that names the nearest key), reads each key as "
      << "its row says, and keeps the default of a key that is not written. Every error says where it is "
      << "(file:line:column) and what was expected, and `gilsim` exits with code 2.\n\n";
  render_values(out);
  out << "## Sections\n\n";
  const std::vector<SectionDoc> file = file_sections();
  for (const auto& s : file) render_section(out, s, all);
  render_operations(out, all);
  for (std::size_t i = file.size(); i < all.size(); ++i) render_section(out, all[i], all);
  std::string text = out.str();
  text.pop_back();  // one newline at the end, not a blank line
  return text;
}

}  // namespace loader
