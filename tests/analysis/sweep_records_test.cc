// Point files and the tidy CSV and JSON assembled from them.
#include <doctest/doctest.h>

#include <cmath>
#include <limits>
#include <map>
#include <stdexcept>
#include <string>

#include "analysis/sweep_records.h"

using analysis::PointRecord;
using analysis::RunRecord;
using analysis::SweepDefinition;

namespace {

loader::SweepAxis axis(const std::string& path, std::vector<loader::AxisValue> values) {
  loader::SweepAxis a;
  a.path = path;
  a.values = std::move(values);
  return a;
}

SweepDefinition definition() {
  SweepDefinition d;
  d.scenario = "sweep";
  d.axes = {axis("runtime.switch_interval", {{"1ms", false}, {"5ms", false}}),
            axis("runtime.python", {{"3.12", true}, {"a,b", false}})};
  d.variants = {"v"};
  d.base_seed = 10;
  return d;
}

}  // namespace

TEST_CASE("param_value: durations in seconds, numbers as numbers, the rest (and quoted) as text") {
  CHECK(analysis::param_value({"250ms", false}).is_number);
  CHECK(analysis::param_value({"250ms", false}).number == 0.25);
  CHECK(analysis::param_value({"3", false}).number == 3);
  CHECK(analysis::param_value({"1.5", false}).is_number);
  CHECK_FALSE(analysis::param_value({"3.12", true}).is_number);
  CHECK(analysis::param_value({"3.12", true}).text == "3.12");
  CHECK_FALSE(analysis::param_value({"fifo", false}).is_number);
  CHECK_FALSE(analysis::param_value({"nan", false}).is_number);
}

TEST_CASE("param_value: a request rate in requests per second, in each unit the loader reads") {
  CHECK(analysis::param_value({"10/s", false}).is_number);
  CHECK(analysis::param_value({"10/s", false}).number == 10);
  CHECK(analysis::param_value({"600/min", false}).number == 10);
  CHECK(analysis::param_value({"2/ms", false}).number == 2000);
  CHECK(analysis::param_value({"0.5 / s", false}).number == 0.5);
  // Quoted, or not a rate the loader takes: text, as written.
  CHECK(analysis::param_value({"10/s", true}).text == "10/s");
  CHECK_FALSE(analysis::param_value({"10/h", false}).is_number);
  CHECK_FALSE(analysis::param_value({"0/s", false}).is_number);
}

TEST_CASE("CSV and JSON: a rate axis's cells are numbers") {
  SweepDefinition d;
  d.scenario = "rates";
  d.axes = {axis("requests.0.arrival.poisson", {{"10/s", false}, {"600/min", false}, {"2/ms", false}})};
  d.variants = {"v"};
  std::vector<PointRecord> records;
  for (std::size_t p = 0; p < 3; ++p) records.push_back({p, {RunRecord{"v", 0, 1, true, {{"wall", 1}}}}});
  CHECK(analysis::sweep_csv(d, records) ==
        "scenario,variant,point,replication,seed,requests.0.arrival.poisson,wall\n"
        "rates,v,0,0,1,10,1\n"
        "rates,v,1,0,1,10,1\n"
        "rates,v,2,0,1,2000,1\n");
  const std::string json = analysis::sweep_json(d, records);
  CHECK(json.find(R"({"path": "requests.0.arrival.poisson", "values": [10, 10, 2000]})") !=
        std::string::npos);
  CHECK(json.find(R"("params": {"requests.0.arrival.poisson": 2000})") != std::string::npos);
}

TEST_CASE("CSV: the header, axis cells by type, the union of metrics and empty cells where missing") {
  const SweepDefinition d = definition();
  PointRecord p0{0, {RunRecord{"v", 0, 10, true, {{"wall", 1.5}, {"gil.handoffs", 3}}},
                     RunRecord{"v", 1, 11, true, {{"wall", 2}}}}};
  // Point 3: 5ms and "a,b" (quoted in the CSV); a metric only it has.
  PointRecord p3{3, {RunRecord{"v", 0, 10, true,
                               {{"wall", std::numeric_limits<double>::infinity()}, {"Zeta", 0.25}}}}};
  CHECK(analysis::sweep_csv(d, {p0, p3}) ==
        "scenario,variant,point,replication,seed,runtime.switch_interval,runtime.python,Zeta,gil.handoffs,wall\n"
        "sweep,v,0,0,10,0.001,3.12,,3,1.5\n"
        "sweep,v,0,1,11,0.001,3.12,,,2\n"
        "sweep,v,3,0,10,0.005,\"a,b\",0.25,,inf\n");
}

TEST_CASE("JSON: the sweep's header and one row per run with params and metrics") {
  const SweepDefinition d = definition();
  PointRecord p1{1, {RunRecord{"v", 0, 10, true, {{"wall", 0.5}}}}};
  const std::string j = analysis::sweep_json(d, {p1});
  CHECK(j.find("\"scenario\": \"sweep\",\n  \"seed\": 10,\n  \"replications\": 1,") != std::string::npos);
  CHECK(j.find("{\"path\": \"runtime.switch_interval\", \"values\": [0.001, 0.005]}") != std::string::npos);
  CHECK(j.find("{\"path\": \"runtime.python\", \"values\": [\"3.12\", \"a,b\"]}") != std::string::npos);
  CHECK(j.find("\"points\": 4,") != std::string::npos);
  CHECK(j.find("\"params\": {\"runtime.switch_interval\": 0.001, \"runtime.python\": \"a,b\"}") !=
        std::string::npos);
  CHECK(j.find("\"wall\": 0.5") != std::string::npos);
}

TEST_CASE("a point file reads back exactly, non-finite numbers included") {
  const SweepDefinition d = definition();
  PointRecord p{2, {RunRecord{"v", 0, 10, false,
                              {{"a", 0.1 + 0.2},
                               {"b", std::nan("")},
                               {"c", -std::numeric_limits<double>::infinity()},
                               {"d", 1e300}}}}};
  const std::string text = analysis::point_json(d, p);
  CHECK(text.find("\"params\": {\"runtime.switch_interval\": 0.005, \"runtime.python\": \"3.12\"}") !=
        std::string::npos);
  const PointRecord back = analysis::read_point_json(text);
  CHECK(back.point == 2);
  REQUIRE(back.runs.size() == 1);
  CHECK_FALSE(back.runs[0].finished);
  CHECK(back.runs[0].seed == 10);
  CHECK(back.runs[0].metrics.at("a") == 0.1 + 0.2);
  CHECK(std::isnan(back.runs[0].metrics.at("b")));
  CHECK(back.runs[0].metrics.at("c") == -std::numeric_limits<double>::infinity());
  CHECK(analysis::point_json(d, back) == text);
  CHECK_THROWS(analysis::read_point_json("{\"runs\": []}"));
  CHECK_THROWS(analysis::read_point_json("{\"point\": 1, \"runs\": [{\"variant\": \"v\""));
}

TEST_CASE("a point file reads back exactly: escaped names, large integers, the runs in order") {
  const SweepDefinition d = definition();
  PointRecord p{1, {RunRecord{"v", 0, 10, true, {{"a \"q\"\\b", 1e20}, {"z", 123456789012345678.0}}},
                    RunRecord{"v", 1, 11, true, {}}}};
  const std::string text = analysis::point_json(d, p);
  const PointRecord back = analysis::read_point_json(text);
  REQUIRE(back.runs.size() == 2);
  CHECK(back.runs[0].metrics.at("a \"q\"\\b") == 1e20);
  CHECK(back.runs[0].metrics.at("z") == 123456789012345678.0);
  CHECK(back.runs[1].seed == 11);
  CHECK(back.runs[1].metrics.size() == 0);
  CHECK(analysis::point_json(d, back) == text);
  CHECK_THROWS(analysis::read_point_json("[1, 2]"));
  CHECK_THROWS(analysis::read_point_json("{\"point\": 1, \"runs\": [{\"metrics\": {\"a\": \"x\"}}]}"));
  CHECK_THROWS(analysis::read_point_json(""));
}

TEST_CASE("MetricNameSets: runs with the same names share one list; the filter keeps what its globs match") {
  analysis::MetricNameSets all;
  const auto a = all.keep(std::map<std::string, double>{{"wall", 1}, {"gil.handoffs", 2}});
  const auto b = all.keep(std::map<std::string, double>{{"wall", 3}, {"gil.handoffs", 4}});
  CHECK(a.names() == b.names());  // one list
  CHECK(b.at("gil.handoffs") == 4);
  analysis::MetricNameSets some(analysis::MetricFilter({"gil.*", "w?ll"}));
  const auto shared = some.share({{"wall", 1}, {"gil.handoffs", 2}, {"threads.w.cpu", 5}});
  CHECK(shared.size() == 3);
  const auto kept = some.keep(shared);
  REQUIRE(kept.size() == 2);
  CHECK(kept.name(0) == "gil.handoffs");
  CHECK(kept.name(1) == "wall");
  CHECK(kept.find("threads.w.cpu") == nullptr);
  CHECK(some.keep(shared).names() == kept.names());
  CHECK(some.all_names() == std::vector<std::string>{"gil.handoffs", "threads.w.cpu", "wall"});
}

TEST_CASE("MetricFilter: unmatched patterns with the nearest name; parse_metric_patterns") {
  const analysis::MetricFilter f({"wall", "gil.handofs", "nothing*like*it"});
  const auto unmatched = f.unmatched({"wall", "gil.handoffs"});
  REQUIRE(unmatched.size() == 2);
  CHECK(unmatched[0] == "'gil.handofs' (did you mean 'gil.handoffs'?)");
  CHECK(unmatched[1] == "'nothing*like*it'");
  CHECK(analysis::parse_metric_patterns("wall,gil.*") == std::vector<std::string>{"wall", "gil.*"});
  CHECK_THROWS_AS(analysis::parse_metric_patterns("wall,,x"), std::invalid_argument);
  CHECK_THROWS_AS(analysis::parse_metric_patterns(""), std::invalid_argument);
}

TEST_CASE("CSV and JSON: an axis's cell is empty (null) on the rows of a variant it does not reach") {
  SweepDefinition d;
  d.scenario = "s";
  d.axes = {axis("threads.0.count", {{"1", false}, {"2", false}})};
  d.variants = {"threads", "sequential"};
  d.unreached = {{"sequential"}};
  const std::vector<PointRecord> records = {
      {1, {RunRecord{"threads", 0, 1, true, {{"wall", 1}}}, RunRecord{"sequential", 0, 1, true, {{"wall", 2}}}}}};
  CHECK(analysis::sweep_csv(d, records) ==
        "scenario,variant,point,replication,seed,threads.0.count,wall\n"
        "s,threads,1,0,1,2,1\n"
        "s,sequential,1,0,1,,2\n");
  const std::string json = analysis::sweep_json(d, records);
  CHECK(json.find("\"params\": {\"threads.0.count\": 2}") != std::string::npos);
  CHECK(json.find("\"params\": {\"threads.0.count\": null}") != std::string::npos);
  // The manifest carries it, for merge.
  const SweepDefinition back = analysis::read_manifest(analysis::manifest_json(d));
  CHECK(back.unreached == d.unreached);
  CHECK_FALSE(back.reaches(0, "sequential"));
}
