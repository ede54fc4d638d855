// `gilsim sweep` and `merge` as a user runs them: --metrics, the progress
// line on a terminal, a sweep of replications only, and the cells of axes
// that do not reach a variant.
#include <doctest/doctest.h>

#include <sstream>
#include <string>
#include <vector>

#include "tests/app/cli_harness.h"

using namespace cli_harness;

namespace {

const char* kTwoVariants = R"(name: two
machine:
  cores: 2
threads:
  - name: w
    count: 2
    run: [cpu: 1ms]
variants:
  threads: {}
  sequential:
    threads:
      - name: main
        run: [cpu: 2ms]
sweep:
  axes:
    runtime.switch_interval: [1ms, 5ms]
    threads.0.count: 1..2
)";

// The header's columns.
std::vector<std::string> header(const std::string& csv) {
  std::vector<std::string> cols;
  std::istringstream line(csv.substr(0, csv.find('\n')));
  for (std::string c; std::getline(line, c, ',');) cols.push_back(c);
  return cols;
}

std::vector<std::string> lines(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string l; std::getline(in, l);) out.push_back(l);
  return out;
}

}  // namespace

TEST_CASE("--metrics: only the columns matching the globs; the point files keep every metric") {
  TempDir dir;
  const std::string file = dir.write("two.yaml", kTwoVariants);
  auto all = gilsim({"sweep", file, "--out", dir.file("all"), "--jobs", "2"});
  REQUIRE(all.code == 0);
  auto some = gilsim({"sweep", file, "--out", dir.file("some"), "--metrics", "wall,gil.*"});
  REQUIRE(some.code == 0);
  const auto cols = header(read(dir.file("some/results.csv")));
  REQUIRE(cols.size() > 7);
  for (std::size_t i = 7; i < cols.size(); ++i) {
    CAPTURE(cols[i]);
    CHECK((cols[i] == "wall" || cols[i].rfind("gil.", 0) == 0));
  }
  CHECK(header(read(dir.file("all/results.csv"))).size() > cols.size());
  CHECK(read(dir.file("some/points/000003.json")) == read(dir.file("all/points/000003.json")));
  CHECK(contains(read(dir.file("all/results.json")), "\"threads.w.cpu\": "));
  CHECK_FALSE(contains(read(dir.file("some/results.json")), "\"threads.w.cpu\": "));

  // Resumed with other columns: the same points, other results.
  auto again = gilsim({"sweep", file, "--out", dir.file("all"), "--metrics", "wall"});
  REQUIRE(again.code == 0);
  CHECK(contains(again.err, "4 of 4 points already done"));
  CHECK(header(read(dir.file("all/results.csv"))).back() == "wall");

  // merge takes them too.
  auto merged = gilsim({"merge", dir.file("some"), "--csv", "-", "--metrics", "wall"});
  REQUIRE(merged.code == 0);
  CHECK(header(merged.out).size() == 8);
}

TEST_CASE("--metrics: a pattern that matches nothing is bad input, with the nearest name") {
  TempDir dir;
  const std::string file = dir.write("two.yaml", kTwoVariants);
  auto bad = gilsim({"sweep", file, "--out", dir.file("never"), "--metrics", "wall,gil.handofs"});
  CHECK(bad.code == 2);
  CHECK(contains(bad.err, "--metrics: 'gil.handofs' (did you mean 'gil.handoffs'?) matches no metric"));
  CHECK_FALSE(fs::exists(dir.file("never")));  // the state directory made for it is gone again
  auto empty = gilsim({"sweep", file, "--metrics", "wall,"});
  CHECK(empty.code == 2);
  CHECK(contains(empty.err, "--metrics wants glob patterns"));
  auto run = gilsim({"run", file, "--metrics", "wall"});
  CHECK(run.code == 2);
  CHECK(contains(run.err, "--metrics applies to 'sweep' and 'merge'"));
  REQUIRE(gilsim({"sweep", file, "--out", dir.file("ok")}).code == 0);
  auto merge = gilsim({"merge", dir.file("ok"), "--csv", "-", "--metrics", "wal"});
  CHECK(merge.code == 2);
  CHECK(contains(merge.err, "'wal' (did you mean 'wall'?)"));
}

TEST_CASE("an axis's cell is empty on the rows of a variant it does not reach") {
  TempDir dir;
  const std::string file = dir.write("two.yaml", kTwoVariants);
  REQUIRE(gilsim({"sweep", file, "--out", dir.file("out")}).code == 0);
  const auto rows = lines(read(dir.file("out/results.csv")));
  REQUIRE(rows.size() == 9);
  CHECK(rows[0].rfind("scenario,variant,point,replication,seed,runtime.switch_interval,threads.0.count,", 0) == 0);
  // Point 1: 1ms, 2 threads. The sequential variant has threads of its own.
  CHECK(rows[3].rfind("two,threads,1,0,1,0.001,2,", 0) == 0);
  CHECK(rows[4].rfind("two,sequential,1,0,1,0.001,,", 0) == 0);
  const std::string json = read(dir.file("out/results.json"));
  CHECK(contains(json, "\"params\": {\"runtime.switch_interval\": 0.001, \"threads.0.count\": null}"));
  CHECK(contains(read(dir.file("out/manifest.json")),
                 "{\"path\": \"threads.0.count\", \"values\": [\"1\", \"2\"], \"unreached\": [\"sequential\"]}"));
  // merge reads it from the manifest: the same results.
  auto merged = gilsim({"merge", dir.file("out"), "--csv", "-"});
  REQUIRE(merged.code == 0);
  CHECK(merged.out == read(dir.file("out/results.csv")));
}

// Two threads with random I/O: each replication draws other values.
const char* const kReplicationsOnly = R"(name: reps
seed: 5
machine: {cores: 1, wakeup_latency: {exp: 10us}}
threads:
  - name: w
    count: 2
    run: [cpu: 1ms, io: {exp: 1ms}, cpu: 1ms]
sweep:
  replications: 3
)";

TEST_CASE("a sweep of replications only: one point, its runs under seeds N, N+1, ...") {
  TempDir dir;
  const std::string file = dir.write("reps.yaml", kReplicationsOnly);
  auto s = gilsim({"sweep", file, "--out", dir.file("out"), "--jobs", "2"});
  REQUIRE(s.code == 0);
  CHECK(contains(s.err, "1 point x 3 replications x 1 variant"));
  const auto rows = lines(read(dir.file("out/results.csv")));
  REQUIRE(rows.size() == 4);
  CHECK(rows[0].rfind("scenario,variant,point,replication,seed,", 0) == 0);
  CHECK(rows[1].rfind("reps,main,0,0,5,", 0) == 0);
  CHECK(rows[3].rfind("reps,main,0,2,7,", 0) == 0);
  CHECK(rows[1].substr(rows[1].find(',', 17)) != rows[2].substr(rows[2].find(',', 17)));  // other draws
  // The command line gives replications to a file without a sweep.
  const std::string plain = dir.write("plain.yaml", "name: plain\nthreads: [{name: w, run: [cpu: 1ms]}]\n");
  auto cli = gilsim({"sweep", plain, "--replications", "2", "--out", dir.file("plain")});
  REQUIRE(cli.code == 0);
  CHECK(lines(read(dir.file("plain/results.csv"))).size() == 3);
}

TEST_CASE("a sweep with replications writes each point's means and intervals, as run --replications does") {
  TempDir dir;
  const std::string file = dir.write("reps.yaml", kReplicationsOnly);
  REQUIRE(gilsim({"sweep", file, "--out", dir.file("out"), "--metrics", "wall"}).code == 0);
  const auto rows = lines(read(dir.file("out/summary.csv")));
  REQUIRE(rows.size() == 2);
  CHECK(rows[0] == "scenario,variant,point,metric,replications,mean,ci95_low,ci95_high");
  // The same three runs as run --replications 3: the same mean and interval.
  auto run = gilsim({"run", file, "--replications", "3", "--csv", dir.file("run.csv")});
  REQUIRE(run.code == 0);
  std::string wall_row;
  for (const auto& row : lines(read(dir.file("run.csv"))))
    if (row.find(",wall,") != std::string::npos) wall_row = row;
  REQUIRE_FALSE(wall_row.empty());
  const std::string summary = rows[1].substr(std::string("reps,main,0,wall,3,").size());  // mean,low,high
  CHECK(rows[1].rfind("reps,main,0,wall,3,", 0) == 0);
  CHECK(wall_row.find(summary.substr(0, summary.find(','))) != std::string::npos);  // the mean
  CHECK(wall_row.find(summary.substr(summary.rfind(',') + 1)) != std::string::npos);  // the high end
  // One replication: no intervals, no summary.
  const std::string plain = dir.write("plain.yaml", "name: plain\nthreads: [{name: w, run: [cpu: 1ms]}]\nsweep:\n  axes: {machine.cores: [1, 2]}\n");
  REQUIRE(gilsim({"sweep", plain, "--out", dir.file("plain")}).code == 0);
  CHECK_FALSE(fs::exists(dir.file("plain/summary.csv")));
}

TEST_CASE("progress on a terminal: points checked, then run; the state directory exists before the runs") {
  TempDir dir;
  const std::string file = dir.write("two.yaml", kTwoVariants);
  auto t = gilsim({"sweep", file, "--out", dir.file("out")}, /*err_is_tty=*/true);
  REQUIRE(t.code == 0);
  CHECK(contains(t.err, "4/4 points checked"));
  CHECK(contains(t.err, "4/4 points"));
  CHECK(contains(t.err, "\r\033[K"));
  // Resumed: the points read back.
  auto again = gilsim({"sweep", file, "--out", dir.file("out")}, /*err_is_tty=*/true);
  REQUIRE(again.code == 0);
  CHECK(contains(again.err, "4/4 points read"));
  // Not a terminal: no progress line.
  auto plain = gilsim({"sweep", file, "--out", dir.file("out2")});
  CHECK_FALSE(contains(plain.err, "points checked"));
}
