// The schema tables (loader/schema.h): the generic reading of a row by its
// type and limits, what the reference shows of each row, the reference file
// made from every table (docs/scenario-reference.md), and the operations'
// table as the program compiler uses it.
#include "loader/schema.h"

#include <doctest/doctest.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "loader/scenario_program.h"
#include "loader/scenario_reference.h"
#include "tests/loader/load_helpers.h"

using namespace load_helpers;

namespace {

// A section of every generic type, to test the schema on its own.
struct Sample {
  int count = 2;
  std::int64_t big = 7;
  std::uint64_t seed = 1;
  sim::Time wait = 5 * kMillisecond;
  sim::Time gap = -1;  // derived: shown by its fallback
  double per_byte = 0.25;
  double share = 0.5;
  bool on = true;
  sim::Distribution pause = sim::Distribution::constant(10 * kMicrosecond);
  std::string label;
  std::string name;
  std::string shout;  // read by a reader of its own
};

using SampleReading = loader::Reading<Sample, loader::NoExtra>;
using SampleKey = loader::Key<Sample>;
using loader::Presence;
using loader::ValueType;

const loader::Section<Sample>& sample_section() {
  static const loader::Section<Sample> section(
      "sample", "in tests", "A section of every generic type.",
      {
          {.name = loader::kNameKey, .type = ValueType::Identifier, .field = &Sample::name,
           .presence = Presence::Required, .doc = "d"},
          {.name = "count", .type = ValueType::Integer, .field = &Sample::count, .limits = {1, 10}, .unit = "things",
           .doc = "d"},
          {.name = "big", .type = ValueType::Integer, .field = &Sample::big, .limits = {0}, .doc = "d"},
          {.name = "seed", .type = ValueType::Integer, .field = &Sample::seed, .doc = "d"},
          {.name = "wait", .type = ValueType::Duration, .field = &Sample::wait, .limits = {.above_zero = true},
           .doc = "d"},
          {.name = "gap", .type = ValueType::Duration, .field = &Sample::gap, .limits = {2}, .fallback = "by magic",
           .doc = "d"},
          {.name = "per_byte", .type = ValueType::PerByte, .field = &Sample::per_byte, .doc = "d"},
          {.name = "share", .type = ValueType::Number, .field = &Sample::share, .doc = "d"},
          {.name = "on", .type = ValueType::Bool, .field = &Sample::on, .doc = "d"},
          {.name = "pause", .type = ValueType::Distribution, .field = &Sample::pause, .doc = "d"},
          {.name = "label", .type = ValueType::Text, .field = &Sample::label, .presence = Presence::Required,
           .needs = ", what it is called", .doc = "d"},
          {.name = "shout", .type = ValueType::Word, .fallback = "quiet", .choices = "loud | quiet",
           .read = [](SampleReading& r, const SampleKey&, const loader::YamlEntry* e) {
             r.target.shout = read_string(r.src, e->value, "shout") + "!";
           },
           .doc = "d"},
      },
      "e.g. {name: s, label: x}");
  return section;
}

// `yaml` (one line, a map) read as a sample named "sample 's'" in messages.
Sample read_sample(const std::string& yaml) {
  const loader::YamlSource src("s.yaml", yaml);
  const YAML::Node node = src.parse();
  const auto entries = loader::map_entries(src, node, "a sample");
  Sample s;
  loader::NoExtra none;
  SampleReading r{src, entries, node, {"sample 's'", "", "sample 's'", "sample"}, s, none};
  loader::read_section(sample_section(), r, "in sample 's'");
  return s;
}

#define CHECK_SAMPLE_ERROR(yaml, part) CHECK_CONTAINS(error_from([&] { read_sample(yaml); }), part)

const loader::KeyDoc& key_doc(const std::vector<loader::KeyDoc>& keys, const std::string& key) {
  for (const auto& k : keys)
    if (k.key == key) return k;
  FAIL("no key " << key);
  return keys.front();
}

const loader::SectionDoc& section_doc(const std::string& title) {
  static const std::vector<loader::SectionDoc> all = loader::reference_sections();
  for (const auto& s : all)
    if (s.title == title) return s;
  FAIL("no section " << title);
  return all.front();
}

std::set<std::string> titles_of_all() {
  std::set<std::string> titles;
  for (const auto& s : loader::reference_sections()) titles.insert(s.title);
  return titles;
}

// "line 12: 'old' in the file, 'new' from the tables", for a failing check.
std::string first_difference(const std::string& file, const std::string& tables) {
  std::istringstream a(file), b(tables);
  std::string x, y;
  for (int line = 1;; ++line) {
    const bool more_a = static_cast<bool>(std::getline(a, x));
    const bool more_b = static_cast<bool>(std::getline(b, y));
    if (!more_a && !more_b) return "they differ only in line ends";
    if (!more_a || !more_b || x != y)
      return "line " + std::to_string(line) + ": '" + (more_a ? x : "(end)") + "' in the file, '" +
             (more_b ? y : "(end)") + "' from the tables";
  }
}

std::string file_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace

TEST_SUITE("schema") {
  TEST_CASE("a row is read by its type into its field, or by its own reader") {
    const Sample s = read_sample(
        "{name: s, count: 3, big: 1e6, seed: 9, wait: 1ms, gap: 2ns, per_byte: 0.5ns, share: 0.25, on: false, "
        "pause: {exp: 1ms}, label: x, shout: hey}");
    CHECK(s.name == "s");
    CHECK(s.count == 3);
    CHECK(s.big == 1'000'000);
    CHECK(s.seed == 9);
    CHECK(s.wait == kMillisecond);
    CHECK(s.gap == 2);
    CHECK(s.per_byte == 0.5);
    CHECK(s.share == 0.25);
    CHECK_FALSE(s.on);
    CHECK(s.pause.kind == sim::Distribution::Kind::Exp);
    CHECK(s.label == "x");
    CHECK(s.shout == "hey!");
    // Keys not written keep the struct's defaults.
    const Sample d = read_sample("{name: s, label: x}");
    CHECK(d.count == 2);
    CHECK(d.wait == 5 * kMillisecond);
    CHECK(d.shout.empty());
  }

  TEST_CASE("a row's limits, a required key, an unknown key") {
    CHECK_SAMPLE_ERROR("{name: s, label: x, count: 11}", "s.yaml:1:28: error: count of sample 's' must be between 1 and 10");
    CHECK_SAMPLE_ERROR("{name: s, label: x, big: -1}", "big of sample 's' must be at least 0, got -1");
    CHECK_SAMPLE_ERROR("{name: s, label: x, wait: 0ms}", "s.yaml:1:27: error: wait of sample 's' must be above 0");
    CHECK_SAMPLE_ERROR("{name: s, label: x, gap: 1ns}", "s.yaml:1:26: error: gap of sample 's' must be at least 2ns");
    CHECK_SAMPLE_ERROR("{name: s, label: x, on: yes}", "on of sample 's' is true or false, got 'yes'");
    CHECK_SAMPLE_ERROR("{name: s, label: x, share: many}", "expected a number for share of sample 's'");
    CHECK_SAMPLE_ERROR("{name: 2s, label: x}", "s.yaml:1:8: error: sample name '2s' is not a valid name");
    CHECK_SAMPLE_ERROR("{name: s}",
                       "s.yaml:1:1: error: sample 's' needs 'label', what it is called: e.g. {name: s, label: x}");
    CHECK_SAMPLE_ERROR("{label: x}", "s.yaml:1:1: error: sample 's' needs a 'name': e.g. {name: s, label: x}");
    CHECK_SAMPLE_ERROR("{name: s, label: x, cont: 1}",
                       "s.yaml:1:21: error: unknown key 'cont' in sample 's'; did you mean 'count'?");
    CHECK_SAMPLE_ERROR("{name: s, label: x, zzzzzz: 1}",
                       "unknown key 'zzzzzz' in sample 's'; the keys are: name, count, big, seed, wait, gap, per_byte, "
                       "share, on, pause, label, shout");
  }

  TEST_CASE("what the reference shows of a row: type, unit, default") {
    const loader::SectionDoc doc = sample_section().doc();
    CHECK(doc.title == "sample");
    REQUIRE(doc.keys.size() == 12);
    CHECK(key_doc(doc.keys, "name").fallback == "required");
    CHECK(key_doc(doc.keys, "name").type == "name");
    CHECK(key_doc(doc.keys, "count").type == "integer, 1 to 10");
    CHECK(key_doc(doc.keys, "count").unit == "things");
    CHECK(key_doc(doc.keys, "count").fallback == "2");
    CHECK(key_doc(doc.keys, "big").type == "integer, at least 0");
    CHECK(key_doc(doc.keys, "big").fallback == "7");
    CHECK(key_doc(doc.keys, "seed").fallback == "1");
    CHECK(key_doc(doc.keys, "wait").type == "duration, above 0");
    CHECK(key_doc(doc.keys, "wait").fallback == "5ms");
    CHECK(key_doc(doc.keys, "gap").type == "duration, at least 2ns");
    CHECK(key_doc(doc.keys, "gap").fallback == "by magic");
    CHECK(key_doc(doc.keys, "per_byte").type == "duration per byte");
    CHECK(key_doc(doc.keys, "per_byte").fallback == "0.25ns");
    CHECK(key_doc(doc.keys, "share").fallback == "0.5");
    CHECK(key_doc(doc.keys, "on").fallback == "true");
    CHECK(key_doc(doc.keys, "pause").type == "duration or distribution");
    CHECK(key_doc(doc.keys, "pause").fallback == "10us");
    CHECK(key_doc(doc.keys, "shout").type == "loud | quiet");
    for (const auto& k : doc.keys) CHECK_MESSAGE(k.problem.empty(), k.key << ": " << k.problem);
  }

  TEST_CASE("a row that can neither be read nor shown is a problem the reference reports") {
    const loader::Section<Sample> broken("broken", "in tests", "Rows with mistakes.",
                                         {
                                             {.name = "typed_wrong", .type = ValueType::Duration,
                                              .field = &Sample::share, .doc = "d"},
                                             {.name = "nothing", .type = ValueType::Map, .doc = "d"},
                                             {.name = "undocumented", .type = ValueType::Bool, .field = &Sample::on},
                                         });
    const loader::SectionDoc doc = broken.doc();
    CHECK(contains(doc.keys[0].problem, "no reader"));
    CHECK(contains(doc.keys[1].problem, "no reader"));
    CHECK(doc.keys[2].problem == "no doc");
  }

  TEST_CASE("durations and numbers as the reference writes them") {
    CHECK(loader::format_duration(0) == "0s");
    CHECK(loader::format_duration(200) == "200ns");
    CHECK(loader::format_duration(2500) == "2.5us");
    CHECK(loader::format_duration(13'700 * kMicrosecond) == "13.7ms");
    CHECK(loader::format_duration(3600 * kSecond) == "3600s");
    CHECK(loader::format_duration(1500 * kMillisecond) == "1.5s");
    CHECK(loader::format_number(1.0) == "1");
    CHECK(loader::format_number(0.05) == "0.05");
    CHECK(loader::format_number(1.4) == "1.4");
  }

  TEST_CASE("every section of the reference: rows that can be read and shown, keys once each") {
    std::set<std::string> titles;
    for (const auto& s : loader::reference_sections()) {
      INFO("section " << s.title);
      CHECK(titles.insert(s.title).second);
      CHECK_FALSE(s.doc.empty());
      CHECK_FALSE(s.place.empty());
      std::set<std::string> keys;
      for (const auto& k : s.keys) {
        INFO("key " << k.key);
        CHECK(keys.insert(k.key).second);
        CHECK(k.problem.empty());
        CHECK_FALSE(k.fallback.empty());
        // A map row holds a section of its own; a list may hold plain things.
        if (k.type.rfind("map", 0) == 0 && !k.items.empty()) CHECK(titles_of_all().count(k.items) == 1);
      }
    }
  }

  TEST_CASE("the reference's defaults are the models' defaults") {
    const auto& machine = section_doc("machine").keys;
    CHECK(key_doc(machine, "cores").fallback == std::to_string(models::MachineConfig{}.cores));
    CHECK(key_doc(machine, "timeslice").fallback == loader::format_duration(models::MachineConfig{}.timeslice));
    const auto& runtime = section_doc("runtime").keys;
    CHECK(key_doc(runtime, "python").fallback == models::RuntimeConfig{}.python);
    CHECK(key_doc(runtime, "switch_interval").fallback ==
          loader::format_duration(models::RuntimeConfig{}.switch_interval));
    CHECK(key_doc(runtime, "pickle_per_byte").fallback ==
          loader::format_number(models::pool_costs(models::RuntimeConfig{}).pickle_per_byte) + "ns");
    CHECK(contains(key_doc(runtime, "cpu_overhead").fallback, "3.13t 1.4"));
    const auto& process = section_doc("a process").keys;
    CHECK(contains(key_doc(process, "startup").fallback,
                   "spawn " + loader::format_duration(models::default_startup(models::StartMethod::Spawn))));
    CHECK(key_doc(section_doc("a pool").keys, "workers").fallback == std::to_string(models::PoolConfig{}.workers));
    CHECK(key_doc(section_doc("a request stream").keys, "duration").fallback ==
          loader::format_duration(models::RequestStream{}.duration));
    CHECK(key_doc(section_doc("settings").keys, "time_limit").fallback ==
          loader::format_duration(models::SimulationConfig{}.time_limit));
  }

  TEST_CASE("the key checks list a section's keys in its table's order") {
    std::string keys;
    for (const auto& k : section_doc("machine").keys) keys += (keys.empty() ? "" : ", ") + k.key;
    CHECK_ERROR("name: t\nmachine: {gpus: 1}\n", "unknown key 'gpus' in machine; the keys are: " + keys);
    std::string settings;
    for (const auto& k : section_doc("settings").keys) settings += (settings.empty() ? "" : ", ") + k.key;
    CHECK(contains(settings, "machine, runtime"));
    CHECK_ERROR("name: t\nthreads: [{name: m, run: [cpu: 1ms]}]\nvariants:\n  v: {seed: 2}\n",
                "'seed' cannot be set in a variant: a variant sets machine, runtime, resources, pools, requests, "
                "threads, processes and time_limit");
  }

  TEST_CASE("operations: one table gives the names, the companions and the places") {
    const std::vector<loader::OperationDoc> ops = loader::operation_docs();
    std::vector<std::string> names;
    for (const auto& o : ops) names.push_back(o.name);
    CHECK(names == loader::operation_names());
    CHECK(names.size() == 15);
    // Each operation takes its companions and no other.
    for (const auto& o : ops)
      for (const std::string companion : {"run", "args", "result", "tasks"}) {
        if (std::find(o.companions.begin(), o.companions.end(), companion) != o.companions.end()) continue;
        INFO(o.name << " with " << companion);
        CHECK_ERROR(with_run("      - {" + o.name + ": x, " + companion + ": 1}\n"),
                    "'" + companion + "' does not go with '" + o.name + "'");
      }
    for (const auto& o : ops) {
      INFO(o.name);
      CHECK_FALSE(o.places.empty());
      CHECK_FALSE(o.doc.empty());
    }
  }

  TEST_CASE("docs/scenario-reference.md is the reference the tables make") {
    const std::string path = std::string(GILSIM_SOURCE_DIR) + "/docs/scenario-reference.md";
    const std::string rendered = loader::scenario_reference();
    const char* update = std::getenv("GILSIM_UPDATE_REFERENCE");
    if (update && std::string(update) == "1") {
      std::ofstream(path, std::ios::binary) << rendered;
      MESSAGE("wrote " << path);
    }
    const std::string committed = file_text(path);
    const bool same = committed == rendered;  // not in the check: its values would print both files
    CHECK_MESSAGE(same,
                  "docs/scenario-reference.md is not what the loader's tables say (" << first_difference(committed, rendered)
                      << "): run GILSIM_UPDATE_REFERENCE=1 build/gilsim_loader_tests -ts=schema to write it again, "
                         "and commit it");
    // Every section and operation is in it.
    for (const auto& s : loader::reference_sections()) CHECK(contains(rendered, "### " + s.title + "\n"));
    for (const auto& o : loader::operation_names()) CHECK(contains(rendered, "| `" + o + "` |"));
  }
}
