// Request streams: arrivals, mixes, the backlog, the clients' timeouts.
#include "loader/scenario_requests.h"

#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "tests/loader/load_helpers.h"

using namespace load_helpers;

TEST_SUITE("scenario_requests") {
  TEST_CASE("request streams: the listen backlog and the clients' SYN retransmissions") {
    const loader::Scenario s = load(
        "name: t\n"
        "requests:\n"
        "  - {name: a, arrival: {poisson: 1/s}, backlog: 128, syn_retries: 2, syn_timeout: 3s, run: [cpu: 1ms]}\n"
        "  - {name: b, arrival: {poisson: 1/s}, run: [cpu: 1ms]}\n"
        "threads:\n"
        "  - {name: x, run: [serve: a]}\n"
        "  - {name: y, run: [serve: b]}\n");
    const auto& r = s.variants[0].config.requests;
    REQUIRE(r.size() == 2);
    CHECK(r[0].backlog == 128);
    CHECK(r[0].syn_retries == 2);
    CHECK(r[0].syn_timeout == 3 * kSecond);
    // Defaults: no limit; Linux's 6 retries from 1 s.
    CHECK(r[1].backlog == 0);
    CHECK(r[1].syn_retries == 6);
    CHECK(r[1].syn_timeout == kSecond);
    CHECK(r[1].timeout == 0);  // clients wait for ever
    CHECK(r[1].retries == 0);
  }

  TEST_CASE("request streams: the clients' timeout and retries") {
    const loader::Scenario s = load(
        "name: t\n"
        "requests:\n"
        "  - {name: a, arrival: {poisson: 1/s}, timeout: 2500ms, retries: 3, run: [cpu: 1ms]}\n"
        "threads:\n"
        "  - {name: x, run: [serve: a]}\n");
    const auto& r = s.variants[0].config.requests;
    REQUIRE(r.size() == 1);
    CHECK(r[0].timeout == 2500 * sim::kMillisecond);
    CHECK(r[0].retries == 3);
  }

  TEST_CASE("request streams: arrivals in requests per second, mixes with weights, defaults") {
    const loader::Scenario s = load(
        "name: t\n"
        "requests:\n"
        "  - name: api\n"
        "    arrival: {poisson: 200/s}\n"
        "    duration: 5s\n"
        "    warmup: 1s\n"
        "    mix:\n"
        "      - {name: search, weight: 9, run: [await_io: 5ms]}\n"
        "      - {name: report, run: [cpu: 2ms]}\n"
        "  - {name: steady, arrival: {constant: 3/ms}, run: [cpu: 1ms]}\n"
        "  - {name: slow, arrival: {constant: 120 / min}, run: [cpu: 1ms]}\n"
        "  - {name: bursts, arrival: {burst: {size: 50, every: 1s}}, run: [cpu: 1ms]}\n"
        "  - {name: users, arrival: {closed: {clients: 20, think: {exp: 50ms}}}, run: [io: 1ms]}\n"
        "  - {name: eager, arrival: {closed: {clients: 2}}, run: [io: 1ms]}\n"
        "threads:\n"
        "  - {name: loop, run: [asyncio: {serve: api}]}\n"
        "  - {name: web, count: 2, run: [cpu: 1ms, serve: steady]}\n"
        "  - {name: a, run: [serve: slow]}\n"
        "  - {name: b, run: [serve: bursts]}\n"
        "  - {name: c, run: [serve: users]}\n"
        "  - {name: d, run: [serve: eager]}\n");
    const auto& r = s.variants[0].config.requests;
    REQUIRE(r.size() == 6);
    CHECK(r[0].name == "api");
    CHECK(r[0].arrival.kind == models::Arrival::Kind::Poisson);
    CHECK(r[0].arrival.rate == doctest::Approx(200));
    CHECK(r[0].duration == 5 * kSecond);
    CHECK(r[0].warmup == 1 * kSecond);
    REQUIRE(r[0].mix.size() == 2);
    CHECK(r[0].mix[0].name == "search");
    CHECK(r[0].mix[0].weight == 9);
    CHECK(r[0].mix[1].name == "report");
    CHECK(r[0].mix[1].weight == 1);
    CHECK(r[0].async);
    CHECK(find_op(r[0].mix[0].program, OpKind::AwaitIo) != nullptr);
    CHECK(r[1].arrival.kind == models::Arrival::Kind::Constant);
    CHECK(r[1].arrival.rate == doctest::Approx(3000));
    CHECK(r[1].duration == 10 * kSecond);
    CHECK(r[1].warmup == 0);
    CHECK_FALSE(r[1].async);
    // `run:` is one request type named after its stream.
    REQUIRE(r[1].mix.size() == 1);
    CHECK(r[1].mix[0].name == "steady");
    CHECK(r[1].mix[0].weight == 1);
    CHECK(r[1].mix[0].program.at(0).kind == OpKind::Cpu);
    CHECK(r[2].arrival.rate == doctest::Approx(2));
    CHECK(r[3].arrival.kind == models::Arrival::Kind::Burst);
    CHECK(r[3].arrival.burst_size == 50);
    CHECK(r[3].arrival.every == 1 * kSecond);
    CHECK(r[4].arrival.kind == models::Arrival::Kind::Closed);
    CHECK(r[4].arrival.clients == 20);
    CHECK(r[4].arrival.think.kind == Distribution::Kind::Exp);
    CHECK(r[4].arrival.think.a == 50 * kMillisecond);
    CHECK(r[5].arrival.think.is_constant());
    CHECK(r[5].arrival.think.a == 0);
    // Requests are a setting: a variant replaces the list whole.
    const loader::Scenario v = load(
        "name: t\nrequests: [{name: api, arrival: {poisson: 10/s}, run: [cpu: 1ms]}]\n"
        "threads: [{name: web, run: [serve: api]}]\n"
        "variants:\n  base: {}\n  fast:\n    requests: [{name: api, arrival: {poisson: 1/ms}, run: [cpu: 1ms]}]\n");
    CHECK(v.variants[0].config.requests.at(0).arrival.rate == doctest::Approx(10));
    CHECK(v.variants[1].config.requests.at(0).arrival.rate == doctest::Approx(1000));
  }

  TEST_CASE("request stream errors") {
    const std::string serve = "threads: [{name: web, run: [serve: api]}]\n";
    const auto stream = [&](const std::string& fields) {
      return "name: t\nrequests:\n  - {name: api, " + fields + "}\n" + serve;
    };
    CHECK_ERROR(stream("run: [cpu: 1ms]"), "t.yaml:3:5: error: request stream 'api' needs 'arrival'");
    CHECK_ERROR(stream("arrival: {poisson: 1/s, constant: 1/s}, run: [cpu: 1ms]"),
                "t.yaml:3:41: error: arrival of request stream 'api' has one kind: 'poisson' or 'constant', not both");
    CHECK_ERROR(stream("arrival: {}, run: [cpu: 1ms]"), "t.yaml:3:26: error: arrival of request stream 'api' is empty");
    CHECK_ERROR(stream("arrival: {poisson: [1/s]}, run: [cpu: 1ms]"),
                "t.yaml:3:36: error: expected a rate (NUMBER/s, NUMBER/ms or NUMBER/min (like 200/s)) for the rate");
    CHECK_ERROR(stream("arrival: {burst: {size: 5}}, run: [cpu: 1ms]"),
                "t.yaml:3:34: error: 'burst' needs 'every', the time between bursts");
    CHECK_ERROR(stream("arrival: {burst: {size: 0, every: 1s}}, run: [cpu: 1ms]"),
                "t.yaml:3:41: error: size of the bursts of request stream 'api' must be between 1 and 1000000, got 0");
    CHECK_ERROR(stream("arrival: {burst: {size: 5, every: 0s}}, run: [cpu: 1ms]"),
                "t.yaml:3:51: error: the time between bursts of request stream 'api' must be above 0");
    CHECK_ERROR(stream("arrival: {closed: {clients: 2, thinks: 1ms}}, run: [cpu: 1ms]"),
                "t.yaml:3:48: error: unknown key 'thinks' in 'closed' of request stream 'api'; did you mean 'think'?");
    CHECK_ERROR(stream("arrival: {poisson: 1/s}, duration: 0s, run: [cpu: 1ms]"),
                "t.yaml:3:52: error: duration of request stream 'api' must be above 0");
    CHECK_ERROR(stream("arrival: {poisson: 1/s}, warmup: 10s, run: [cpu: 1ms]"),
                "t.yaml:3:50: error: warmup of request stream 'api' must be shorter than its duration (10s)");
    CHECK_ERROR(stream("arrival: {poisson: 1/s}, mix: []"),
                "t.yaml:3:47: error: mix of request stream 'api' is empty");
    CHECK_ERROR(stream("arrival: {poisson: 1/s}, mix: [{run: [cpu: 1ms]}]"),
                "t.yaml:3:48: error: a request type in the mix of request stream 'api' needs a 'name'");
    CHECK_ERROR(stream("arrival: {poisson: 1/s}, mix: [{name: a}]"),
                "t.yaml:3:48: error: request type 'a' needs 'run'");
    CHECK_ERROR(stream("arrival: {poisson: 1/s}, mix: [{name: a, weight: -1, run: [cpu: 1ms]}]"),
                "t.yaml:3:66: error: weight of request type 'a' must be above 0");
    CHECK_ERROR(stream("arrival: {poisson: 1/s}, run: [cpu: 1ms], rate: 5/s"),
                "t.yaml:3:59: error: unknown key 'rate' in request stream 'api'");
    CHECK_ERROR(stream("arrival: {poisson: 1/s}, run: []"), "t.yaml:3:47: error: run of request 'api' of stream 'api' is empty");
    CHECK_ERROR("name: t\nthreads: [{name: web, run: [serve: api]}]\n",
                "t.yaml:2:36: error: unknown request stream 'api': define it under 'requests:'");
    CHECK_ERROR("name: t\nrequests: [{name: api-v1, arrival: {poisson: 1/s}, run: [cpu: 1ms]}]\n" + serve,
                "t.yaml:2:19: error: request stream name 'api-v1' is not a valid name");
  }

  TEST_CASE("request streams: what a stream and its arrival need") {
    const std::string serve = "threads: [{name: web, run: [serve: api]}]\n";
    CHECK_ERROR("name: t\nrequests:\n  - {arrival: {poisson: 1/s}, run: [cpu: 1ms]}\n" + serve,
                "t.yaml:3:5: error: a request stream needs a 'name'");
    CHECK_ERROR("name: t\nrequests:\n  - {name: api, arrival: {burst: {every: 1s}}, run: [cpu: 1ms]}\n" + serve,
                "t.yaml:3:34: error: 'burst' needs 'size', the requests at once: e.g. {burst: {size: 50, every: 1s}}");
    CHECK_ERROR("name: t\nrequests:\n  - {name: api, arrival: {}, run: [cpu: 1ms]}\n" + serve,
                "t.yaml:3:26: error: arrival of request stream 'api' is empty: write one of {poisson: 200/s}");
    CHECK_ERROR("name: t\nrequests:\n  - {name: api, arrival: {poison: 1/s}, run: [cpu: 1ms]}\n" + serve,
                "t.yaml:3:27: error: unknown key 'poison' in arrival of request stream 'api'; did you mean 'poisson'?");
    CHECK_ERROR("name: t\nrequests:\n  - {name: api, arrival: {closed: {clients: 2, think: -1ms}}, run: [cpu: 1ms]}\n" +
                    serve,
                "t.yaml:3:55: error: a duration cannot be negative");
  }
}
