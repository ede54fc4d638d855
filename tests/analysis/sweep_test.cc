// The sweep engine: preparing points, running them in parallel into a state
// directory, resuming, shards and merge.
#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include "analysis/sweep.h"
#include "analysis/sweep_points.h"
#include "loader/input_error.h"
#include "tests/support/temp_dir.h"

using analysis::SweepError;
using testing::TempDir;

namespace {

const char* kSweep = R"(name: engine
seed: 3
machine:
  cores: 2
  wakeup_latency: {exp: 10us}
runtime: {}
threads:
  - name: w
    count: 2
    run:
      - cpu: 2ms
      - io: {exp: 200us}
variants:
  pair: {}
  solo:
    threads:
      - name: m
        run: [cpu: 4ms]
sweep:
  axes:
    runtime.switch_interval: [100us, 1ms, 5ms]
    threads.0.count: 1..2
  replications: 2
)";

struct Fixture {
  TempDir dir;
  std::string file = dir.write("engine.yaml", kSweep);
  analysis::SweepRequest request() const {
    analysis::SweepRequest r;
    r.file = file;
    return r;
  }
  analysis::SweepOutcome run(const analysis::PreparedSweep& sweep, const std::string& out,
                             unsigned jobs = 1, analysis::Shard shard = {}) const {
    const auto state = analysis::SweepState::create_or_resume(dir.file(out), sweep.definition);
    analysis::SweepRunOptions options;
    options.jobs = jobs;
    options.shard = shard;
    return analysis::run_sweep(sweep, state, options);
  }
};

template <typename E>
std::string error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const E& e) {
    return e.what();
  }
  return "no error";
}

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

}  // namespace

TEST_CASE("prepare: points from the file's axes, each point's value in its configs") {
  Fixture f;
  const auto sweep = analysis::prepare_sweep(f.request());
  CHECK(sweep.definition.points() == 6);
  CHECK(sweep.definition.variants == std::vector<std::string>{"pair", "solo"});
  CHECK(sweep.definition.base_seed == 3);
  analysis::PointLoader loader(sweep.definition, sweep.file, sweep.text, sweep.load);
  // Point 3 is switch_interval 1ms, count 2 (first axis outermost).
  const auto p3 = loader.plans(3);
  REQUIRE(p3.size() == 2);
  CHECK(p3[0]->config().runtime.switch_interval == sim::kMillisecond);
  CHECK(p3[0]->config().threads[0].count == 2);
  CHECK(loader.plans(2)[0]->config().threads[0].count == 1);
  CHECK(loader.plans(3)[1]->config().threads[0].count == 1);  // solo's own threads are not swept
  // A point's scenario leaves the sweep section unread: the definition has it.
  CHECK(loader.scenario(3).sweep.axes.empty());
  CHECK_FALSE(loader::load_scenario_text(sweep.text, sweep.file).sweep.axes.empty());
  // The loader sets the tree in place: point 3 again, after others, is point 3.
  CHECK(loader.plans(3)[0]->config().threads[0].count == 2);
  // solo replaces the threads: threads.0.count does not reach it.
  REQUIRE(sweep.definition.unreached.size() == 2);
  CHECK(sweep.definition.unreached[0].empty());
  CHECK(sweep.definition.unreached[1] == std::vector<std::string>{"solo"});
  CHECK(sweep.definition.reaches(1, "pair"));
  CHECK_FALSE(sweep.definition.reaches(1, "solo"));
}

TEST_CASE("points: loaded many times from one tree (reparsed now and then), each the same as alone") {
  Fixture f;
  auto r = f.request();
  r.axes.push_back(loader::parse_axis_argument("machine.cores=1..40").value);
  const auto sweep = analysis::define_sweep(r);
  analysis::PointLoader loader(sweep.definition, sweep.file, sweep.text, sweep.load);
  for (std::size_t p = 0; p < sweep.definition.points(); ++p) {
    const auto alone = analysis::load_point(sweep.definition, sweep.file, sweep.text, p);
    const auto plans = loader.plans(p);
    REQUIRE(plans.size() == alone.variants.size());
    for (std::size_t v = 0; v < plans.size(); ++v) {
      CHECK(plans[v]->config().machine.cores == alone.variants[v].config.machine.cores);
      CHECK(plans[v]->config().runtime.switch_interval == alone.variants[v].config.runtime.switch_interval);
      CHECK(plans[v]->config().threads[0].count == alone.variants[v].config.threads[0].count);
    }
  }
}

TEST_CASE("prepare: command-line axes replace the file's or add, with --seed, --replications and --variant") {
  Fixture f;
  auto r = f.request();
  r.axes.push_back(loader::parse_axis_argument("threads.0.count=[3]").value);
  r.axes.push_back(loader::parse_axis_argument("machine.cores=1..2").value);
  r.seed = 100;
  r.replications = 1;
  r.variants = {"solo", "pair"};
  const auto sweep = analysis::prepare_sweep(r);
  const auto& d = sweep.definition;
  REQUIRE(d.axes.size() == 3);
  CHECK(d.axes[1].path == "threads.0.count");
  CHECK(d.axes[1].values.size() == 1);
  CHECK(d.axes[2].path == "machine.cores");
  CHECK(d.points() == 6);
  CHECK(d.base_seed == 100);
  CHECK(d.replications == 1);
  CHECK(d.variants == std::vector<std::string>{"pair", "solo"});  // file order
}

TEST_CASE("prepare: every point is validated first, and a bad one names its values") {
  Fixture f;
  auto r = f.request();
  r.axes.push_back(loader::parse_axis_argument("machine.cores=[2, 0]").value);
  const std::string e = error_of<loader::InputError>([&] { analysis::prepare_sweep(r); });
  CHECK(contains(e, "at point 1 of the sweep (runtime.switch_interval=100us, threads.0.count=1, machine.cores=0)"));
}

TEST_CASE("prepare: no axes, an unknown variant, an axis given twice") {
  TempDir dir;
  analysis::SweepRequest r;
  r.file = dir.write("plain.yaml", "name: plain\nthreads: [{name: w, run: [cpu: 1ms]}]\n");
  CHECK(contains(error_of<SweepError>([&] { analysis::prepare_sweep(r); }), "nothing to sweep"));
  Fixture f;
  auto v = f.request();
  v.variants = {"sole"};
  CHECK(contains(error_of<SweepError>([&] { analysis::prepare_sweep(v); }),
                 "unknown variant 'sole'; did you mean 'solo'?"));
  auto twice = f.request();
  twice.axes.push_back(loader::parse_axis_argument("machine.cores=1").value);
  twice.axes.push_back(loader::parse_axis_argument("machine.cores=2").value);
  CHECK(contains(error_of<SweepError>([&] { analysis::prepare_sweep(twice); }), "given twice"));
}

TEST_CASE("run: one file per point, runs by variant then replication with seeds base + r") {
  Fixture f;
  const auto sweep = analysis::prepare_sweep(f.request());
  const auto outcome = f.run(sweep, "out");
  CHECK(outcome.points == 6);
  CHECK(outcome.ran == 6);
  CHECK(outcome.already_done == 0);
  REQUIRE(outcome.records.size() == 6);
  const auto& runs = outcome.records[4].runs;
  REQUIRE(runs.size() == 4);
  CHECK(runs[0].variant == "pair");
  CHECK(runs[0].seed == 3);
  CHECK(runs[1].variant == "pair");
  CHECK(runs[1].seed == 4);
  CHECK(runs[2].variant == "solo");
  CHECK(runs[2].replication == 0);
  CHECK(runs[3].seed == 4);
  // Two seeds draw differently (the I/O is exponential).
  CHECK(runs[0].metrics.at("wall") != runs[1].metrics.at("wall"));
  CHECK(std::filesystem::exists(f.dir.file("out/points/000005.json")));
}

TEST_CASE("run: the results are byte-identical for any number of jobs") {
  Fixture f;
  const auto sweep = analysis::prepare_sweep(f.request());
  const auto one = f.run(sweep, "one", 1);
  const auto four = f.run(sweep, "four", 4);
  CHECK(analysis::sweep_csv(sweep.definition, one.records) ==
        analysis::sweep_csv(sweep.definition, four.records));
  CHECK(analysis::sweep_json(sweep.definition, one.records) ==
        analysis::sweep_json(sweep.definition, four.records));
}

TEST_CASE("resume: only missing points run, and another sweep's directory is refused") {
  Fixture f;
  const auto sweep = analysis::prepare_sweep(f.request());
  const auto first = f.run(sweep, "out");
  std::filesystem::remove(f.dir.file("out/points/000002.json"));
  std::filesystem::remove(f.dir.file("out/points/000004.json"));
  const auto again = f.run(sweep, "out", 2);
  CHECK(again.already_done == 4);
  CHECK(again.ran == 2);
  CHECK(analysis::sweep_csv(sweep.definition, again.records) ==
        analysis::sweep_csv(sweep.definition, first.records));

  auto r = f.request();
  r.replications = 3;
  const auto other = analysis::prepare_sweep(r);
  const std::string e = error_of<SweepError>(
      [&] { analysis::SweepState::create_or_resume(f.dir.file("out"), other.definition); });
  CHECK(contains(e, "holds another sweep (replications: 2 there, 3 here); pick another --out DIR"));
}

TEST_CASE("shards: disjoint parts that merge into the whole sweep") {
  Fixture f;
  const auto sweep = analysis::prepare_sweep(f.request());
  const auto whole = f.run(sweep, "whole");
  std::size_t total = 0;
  for (int k = 1; k <= 4; ++k) {
    const auto part = f.run(sweep, "shard" + std::to_string(k), 1, analysis::Shard{k, 4});
    for (const auto& r : part.records) CHECK(r.point % 4 == static_cast<std::size_t>(k - 1));
    total += part.ran;
  }
  CHECK(total == 6);
  const auto merged = analysis::merge_sweeps(
      {f.dir.file("shard1"), f.dir.file("shard2"), f.dir.file("shard3"), f.dir.file("shard4")});
  CHECK(analysis::sweep_csv(merged.definition, merged.records) ==
        analysis::sweep_csv(sweep.definition, whole.records));
  CHECK(analysis::sweep_json(merged.definition, merged.records) ==
        analysis::sweep_json(sweep.definition, whole.records));
  // The whole sweep's directory may be given too: a point present twice is identical.
  CHECK_NOTHROW(analysis::merge_sweeps({f.dir.file("whole"), f.dir.file("shard1")}));
}

TEST_CASE("merge: missing points are listed, and different sweeps are refused") {
  Fixture f;
  const auto sweep = analysis::prepare_sweep(f.request());
  f.run(sweep, "a", 1, analysis::Shard{1, 3});
  const std::string missing = error_of<SweepError>([&] { analysis::merge_sweeps({f.dir.file("a")}); });
  CHECK(contains(missing, "4 of 6 points are missing: 1-2, 4-5"));

  auto r = f.request();
  r.seed = 9;
  const auto other = analysis::prepare_sweep(r);
  f.run(other, "b", 1, analysis::Shard{2, 3});
  CHECK(contains(error_of<SweepError>([&] { analysis::merge_sweeps({f.dir.file("a"), f.dir.file("b")}); }),
                 "hold different sweeps (seed: 3 there, 9 here)"));
  CHECK(contains(error_of<SweepError>([&] { analysis::merge_sweeps({f.dir.file("nothing")}); }),
                 "no such sweep directory"));
}

TEST_CASE("merge: a point file under another point's name, or differing copies, are refused") {
  Fixture f;
  const auto sweep = analysis::prepare_sweep(f.request());
  f.run(sweep, "a");
  f.run(sweep, "b");
  std::filesystem::copy_file(f.dir.file("a/points/000001.json"), f.dir.file("a/points/000002.json"),
                             std::filesystem::copy_options::overwrite_existing);
  CHECK(contains(error_of<SweepError>([&] { analysis::merge_sweeps({f.dir.file("a")}); }),
                 "000002.json: it holds point 1"));
  CHECK(contains(error_of<SweepError>([&] { analysis::merge_sweeps({f.dir.file("b"), f.dir.file("a")}); }),
                 "point 2 differs between"));
}

TEST_CASE("prepare: a sweep of more than a million points is refused before loading any") {
  Fixture f;
  auto r = f.request();
  r.axes.push_back(loader::parse_axis_argument("machine.cores=1..1000").value);
  r.axes.push_back(loader::parse_axis_argument("threads.0.count=1..1000").value);
  CHECK(contains(error_of<SweepError>([&] { analysis::prepare_sweep(r); }), "more than 1000000 points"));
}

TEST_CASE("parse_shard and index_ranges") {
  auto s = analysis::parse_shard("2/8");
  REQUIRE(s.ok());
  CHECK(s.value.index == 2);
  CHECK(s.value.count == 8);
  CHECK(s.value.contains(9));
  CHECK_FALSE(s.value.contains(8));
  for (const char* bad : {"0/3", "4/3", "1/0", "1", "a/b", "1/3/4", "-1/3"}) {
    CAPTURE(bad);
    CHECK_FALSE(analysis::parse_shard(bad).ok());
  }
  CHECK(analysis::index_ranges({0, 1, 2, 5, 7, 8}) == "0-2, 5, 7-8");
}

TEST_CASE("identity_text: the fit entry's lines are cut out, so that adding a fit keeps the sweep") {
  const std::string without = "name: s\nsweep:\n  axes:\n    threads.0.count: 1..3\n\nthreads: []\n";
  // A block entry with a comment inside, before the next key.
  const std::string block = "name: s\nsweep:\n  fit:\n    x: threads.0.count\n    # why\n    time: wall\n"
                            "  axes:\n    threads.0.count: 1..3\n\nthreads: []\n";
  CHECK(analysis::identity_text(block, {{"f", 3, 3}}) ==
        "name: s\nsweep:\n  axes:\n    threads.0.count: 1..3\n\nthreads: []\n");
  // A flow entry last in the map: the blank line after it stays.
  const std::string flow = "name: s\nsweep:\n  axes:\n    threads.0.count: 1..3\n  fit: {x: threads.0.count, "
                           "time: wall}\n\nthreads: []\n";
  CHECK(analysis::identity_text(flow, {{"f", 5, 3}}) == without);
  // At the end of a file without a final newline.
  CHECK(analysis::identity_text("sweep:\n  axes: {a: 1}\n  fit: {x: a, time: wall}", {{"f", 3, 3}}) ==
        "sweep:\n  axes: {a: 1}\n");
  // In a flow map the key shares its line: the whole text counts.
  const std::string inline_map = "sweep: {axes: {a: 1}, fit: {x: a, time: wall}}\n";
  CHECK(analysis::identity_text(inline_map, {{"f", 1, 23}}) == inline_map);
  // A fit and a saturation analysis, in either order: both are cut out.
  const std::string both = "name: s\nsweep:\n  fit: {x: threads.0.count, time: wall}\n  axes:\n"
                           "    threads.0.count: 1..3\n  saturation:\n    load: threads.0.count\n\nthreads: []\n";
  CHECK(analysis::identity_text(both, {{"f", 3, 3}, {"f", 6, 3}}) == without);
  CHECK(analysis::identity_text(both, {{"f", 6, 3}, {"f", 3, 3}}) == without);
  CHECK(analysis::identity_text(both, {}) == both);
}

TEST_CASE("prepare: the fit's x must be an axis, the command line's included, and the fit leaves the manifest") {
  TempDir dir;
  const std::string fit = "  fit: {x: threads.0.cont, time: wall}\n";
  analysis::SweepRequest r;
  r.file = dir.write("fit.yaml", std::string(kSweep) + fit);
  const std::string e = error_of<loader::InputError>([&] { analysis::prepare_sweep(r); });
  CHECK(contains(e, r.file + ":24:12: error: sweep.fit.x: 'threads.0.cont' is not an axis of the sweep; did you "
                    "mean 'threads.0.count'? (axes: runtime.switch_interval, threads.0.count)"));
  CHECK(contains(e, "  fit: {x: threads.0.cont, time: wall}"));

  // An axis from the command line counts.
  r.axes.push_back(loader::parse_axis_argument("threads.0.cont=[1]").value);
  CHECK(contains(error_of<loader::InputError>([&] { analysis::prepare_sweep(r); }), "unknown key 'cont'"));
  analysis::SweepRequest cli;
  cli.file = dir.write("cli.yaml", std::string(kSweep) + "  fit: {x: machine.cores, time: wall}\n");
  CHECK(contains(error_of<loader::InputError>([&] { analysis::prepare_sweep(cli); }), "'machine.cores' is not an axis"));
  cli.axes.push_back(loader::parse_axis_argument("machine.cores=[1, 2]").value);
  const analysis::PreparedSweep with = analysis::prepare_sweep(cli);
  REQUIRE(with.fit);
  CHECK(with.fit->x == "machine.cores");

  // The same sweep with and without a fit: the same manifest, so it resumes.
  analysis::SweepRequest plain;
  plain.file = dir.write("plain.yaml", kSweep);
  analysis::SweepRequest fitted;
  fitted.file = dir.write("fitted.yaml", std::string(kSweep) + "  fit: {x: threads.0.count, time: wall}\n");
  const analysis::PreparedSweep a = analysis::prepare_sweep(plain), b = analysis::prepare_sweep(fitted);
  CHECK_FALSE(a.fit);
  REQUIRE(b.fit);
  CHECK(analysis::manifest_json(a.definition) == analysis::manifest_json(b.definition));
}

TEST_CASE("validate: the lowest bad point is the one reported, whatever the number of jobs") {
  Fixture f;
  auto r = f.request();
  r.axes.push_back(loader::parse_axis_argument("machine.cores=[2, 2, 0, 0, 2]").value);
  const auto sweep = analysis::define_sweep(r);
  for (unsigned jobs : {1u, 2u, 4u}) {
    CAPTURE(jobs);
    const std::string e =
        error_of<loader::InputError>([&] { analysis::validate_points(sweep, jobs); });
    CHECK(contains(e, "at point 2 of the sweep (runtime.switch_interval=100us, threads.0.count=1, machine.cores=0)"));
  }
  Fixture g;
  const auto good = analysis::define_sweep(g.request());
  std::size_t calls = 0, last = 0, total_seen = 0;
  const auto names = analysis::validate_points(
      good, 2,
      [&](std::size_t done, std::size_t total) {
        ++calls;
        last = done;
        total_seen = total;
      },
      true);
  CHECK(calls == 6);
  CHECK(last == 6);
  CHECK(total_seen == 6);
  CHECK(std::find(names.begin(), names.end(), "wall") != names.end());
  CHECK(std::is_sorted(names.begin(), names.end()));
}
