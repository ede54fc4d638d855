// gilsim validate's comparison (analysis/validation.cc) on recorded
// measurements (tests/validation/validate_recorded.jsonl: real programs'
// output), without running Python: tolerances, medians, the twins' settings
// filled from the measurements, every case's twin loading with them, and the
// verdicts.
#include <doctest/doctest.h>

#include <algorithm>
#include <fstream>
#include <map>
#include <memory>
#include <set>
#include <sstream>
#include <string>

#include "analysis/validation.h"
#include "loader/input_error.h"
#include "loader/profile.h"

namespace {

using analysis::Tolerance;

std::string read(const std::string& path) {
  std::ifstream in(path);
  REQUIRE(in);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// The recorded lines by case id and Python.
std::map<std::pair<std::string, std::string>, analysis::Samples> recorded() {
  std::ifstream in(GILSIM_SOURCE_DIR "/tests/validation/validate_recorded.jsonl");
  REQUIRE(in);
  std::map<std::pair<std::string, std::string>, analysis::Samples> out;
  for (std::string line; std::getline(in, line);) {
    const auto at = line.find("\"case\": \"") + 9;
    const std::string id = line.substr(at, line.find('"', at) - at);
    auto o = analysis::parse_program_output(line);
    auto& s = out[{id, o.python}];
    s.python = o.python;
    s.runs.push_back(o);
  }
  return out;
}

const analysis::ValidationCase& find(const std::string& id) {
  for (const auto& c : analysis::validation_suite())
    if (c.id == id) return c;
  FAIL("no case " << id);
  throw 0;
}

}  // namespace

TEST_CASE("validate: tolerances") {
  const Tolerance rel{Tolerance::Kind::Relative, 0.25};
  CHECK(rel.agrees(1.0, 1.25));
  CHECK(rel.agrees(1.0, 0.75));
  CHECK_FALSE(rel.agrees(1.0, 1.26));
  CHECK_FALSE(rel.agrees(0.0, 0.1));
  const Tolerance factor{Tolerance::Kind::Factor, 2.0};
  CHECK(factor.agrees(100, 200));
  CHECK(factor.agrees(100, 50));
  CHECK_FALSE(factor.agrees(100, 201));
  CHECK_FALSE(factor.agrees(100, 0));
  const Tolerance lost{Tolerance::Kind::Factor, 3.0, 0.02};
  CHECK(lost.agrees(0.0, 0.019));  // near 0 the absolute part decides
  CHECK_FALSE(lost.agrees(0.0, 0.03));
  CHECK(lost.agrees(0.3, 0.1));
  CHECK(rel.describe() == "±25 %");
  CHECK(lost.describe() == "3x or ±0.02");
}

TEST_CASE("validate: the median and the range of repeats") {
  analysis::Samples s{"3.12", {}};
  for (double v : {3.0, 1.0, 2.0, 10.0}) s.runs.push_back({"3.12", {{"ratio", v}}});
  const auto sp = analysis::spread_of(s, "ratio");
  REQUIRE(sp);
  CHECK(sp->median == 2.5);
  CHECK(sp->low == 1);
  CHECK(sp->high == 10);
  CHECK(sp->n == 4);
  CHECK_FALSE(analysis::spread_of(s, "absent"));
}

TEST_CASE("validate: the twin's settings come from the program's medians") {
  analysis::Samples s{"2.7", {}};
  s.runs.push_back({"2.7", {{"seq_ns", 100e6}, {"cpus", 2}}});
  s.runs.push_back({"2.7", {{"seq_ns", 300e6}, {"cpus", 2}}});
  s.runs.push_back({"2.7", {{"seq_ns", 200e6}, {"cpus", 2}}});
  std::map<std::string, std::string> settings;
  for (const auto& t : analysis::twin_settings(find("countdown-4-all"), s)) settings[t.path] = t.value;
  CHECK(settings["runtime.python"] == "\"2.7\"");
  CHECK(settings["machine.cores"] == "2");
  CHECK(settings["threads.0.count"] == "4");
  CHECK(settings["threads.0.run.0.cpu"] == "50000000ns");  // the median 200 ms over 4 threads
  CHECK(settings["variants.sequential.threads.0.run.0.repeat"] == "4");
  // A value the program did not print is a bug of the suite, and says which.
  analysis::Samples empty{"2.7", {{"2.7", {{"cpus", 2}}}}};
  CHECK_THROWS_WITH_AS(analysis::twin_settings(find("countdown-4-all"), empty),
                       doctest::Contains("seq_ns"), std::runtime_error);
}

TEST_CASE("validate: every recorded case's twin loads with its settings and has its rows' figures") {
  const auto samples = recorded();
  std::set<std::string> seen;
  for (const auto& [key, s] : samples) {
    const auto& c = find(key.first);
    CAPTURE(c.id);
    CAPTURE(s.python);
    const std::string file = GILSIM_SOURCE_DIR "/validation/" + c.program + ".yaml";
    const auto figures = analysis::predict(file, read(file), analysis::twin_settings(c, s), {});
    for (const auto& row : c.rows) CHECK(figures.count(row.figure) == 1);
    seen.insert(c.id);
  }
  // The fixture covers the whole suite.
  for (const auto& c : analysis::validation_suite()) CHECK(seen.count(c.id) == 1);
}

TEST_CASE("validate: verdicts on recorded measurements") {
  const auto samples = recorded();
  auto rows_of = [&](const std::string& id, const std::string& python) {
    const auto& c = find(id);
    const auto& s = samples.at({id, python});
    const std::string file = GILSIM_SOURCE_DIR "/validation/" + c.program + ".yaml";
    return analysis::compare(c, s, analysis::predict(file, read(file), analysis::twin_settings(c, s), {}));
  };
  // Sleeping threads overlap in both: 0.308 measured against 0.25.
  const auto overlap = rows_of("overlap-threads", "3.12");
  REQUIRE(overlap.size() == 1);
  CHECK(overlap[0].measured.median == doctest::Approx(0.308).epsilon(0.01));
  CHECK(overlap[0].predicted->median == doctest::Approx(0.25).epsilon(0.01));
  CHECK(overlap[0].within);
  // sha256 threads on the busy machine: no speed-up measured (0.99), 2x predicted: a miss.
  const auto sha = rows_of("native-sha256", "3.12");
  CHECK(sha[0].predicted->median == doctest::Approx(2.0).epsilon(0.01));
  CHECK_FALSE(sha[0].within);
}

TEST_CASE("validate: compare against figures given by hand") {
  const auto& c = find("handoffs");
  analysis::Samples s{"3.12", {{"3.12", {{"handoffs_per_s", 180}}}, {"3.12", {{"handoffs_per_s", 190}}}}};
  auto rows = analysis::compare(c, s, {{"hand-offs per second", analysis::Spread{370, 370, 370, 1}}});
  REQUIRE(rows.size() == 1);
  CHECK(rows[0].measured.median == 185);
  CHECK(rows[0].within);  // 2x
  rows = analysis::compare(c, s, {{"hand-offs per second", analysis::Spread{371, 371, 371, 1}}});
  CHECK_FALSE(rows[0].within);
  rows = analysis::compare(c, s, {});  // no such figure: no verdict of agreement
  CHECK_FALSE(rows[0].predicted);
  CHECK_FALSE(rows[0].within);
  const std::string table = analysis::format_rows(rows);
  CHECK(table.find("no data") != std::string::npos);
  CHECK(table.find("0 of 1 rows within") != std::string::npos);
}

TEST_CASE("validate: a program's output that is not a JSON object with python is an error") {
  CHECK_THROWS_AS(analysis::parse_program_output("Traceback (most recent call last):"), std::runtime_error);
  CHECK_THROWS_AS(analysis::parse_program_output("{\"ratio\": 1}"), std::runtime_error);
  const auto o = analysis::parse_program_output("{\"python\": \"2.7\", \"ratio\": 1.5, \"n\": 3, \"method\": \"fork\"}");
  CHECK(o.python == "2.7");
  CHECK(o.values.at("ratio") == 1.5);
  CHECK(o.values.at("n") == 3);
  CHECK(o.values.count("method") == 0);
}

TEST_CASE("validate: which interpreters run a case") {
  CHECK(analysis::applies(find("countdown-2-all"), "2.7"));
  CHECK_FALSE(analysis::applies(find("echo-1cpu-5ms"), "2.7"));
  CHECK(analysis::applies(find("echo-1cpu-5ms"), "3.6"));
  CHECK_FALSE(analysis::applies(find("pool-spawn-1"), "3.3"));
  CHECK(analysis::applies(find("pool-spawn-1"), "3.13"));
}

TEST_CASE("validate: a twin over several seeds gives each figure's median and range over its runs") {
  // 8 threads at 1 us with 1 ns of slack under the calibrated profile: a
  // contended GIL whose figures differ from seed to seed.
  const auto samples = recorded();
  const auto& c = find("smallint-8-1us-noslack");
  const analysis::Samples* s = nullptr;
  for (const auto& [key, v] : samples)
    if (key.first == c.id) s = &v;
  REQUIRE(s != nullptr);
  const std::string file = GILSIM_SOURCE_DIR "/validation/" + c.program + ".yaml";
  loader::LoadOptions load;
  load.profile = std::make_shared<const loader::Profile>(
      loader::load_profile_file(GILSIM_SOURCE_DIR "/profiles/amd-epyc-2vcpu.yaml"));
  const auto settings = analysis::twin_settings(c, *s);
  const auto five = analysis::predict(file, read(file), settings, load, 5, 1);
  // The same runs one at a time, each with its seed.
  std::map<std::string, std::vector<double>> each;
  for (std::uint64_t seed = 1; seed <= 5; ++seed) {
    loader::LoadOptions one = load;
    one.override_seed = true;
    one.seed = seed;
    for (const auto& [label, v] : analysis::predict(file, read(file), settings, one)) {
      CHECK(v.n == 1);
      each[label].push_back(v.median);
    }
  }
  REQUIRE(five.size() == each.size());
  bool varies = false;
  for (auto& [label, v] : each) {
    CAPTURE(label);
    std::sort(v.begin(), v.end());
    const auto& f = five.at(label);
    CHECK(f.n == 5);
    CHECK(f.median == v[2]);
    CHECK(f.low == v.front());
    CHECK(f.high == v.back());
    varies |= f.low < f.high;
  }
  CHECK(varies);
  // Run two or three at a time: the same figures.
  const auto parallel = analysis::predict(file, read(file), settings, load, 5, 3);
  for (const auto& [label, f] : five) {
    CHECK(parallel.at(label).median == f.median);
    CHECK(parallel.at(label).low == f.low);
    CHECK(parallel.at(label).high == f.high);
  }
  CHECK(analysis::medians(five).at("ratio") == five.at("ratio").median);
}
