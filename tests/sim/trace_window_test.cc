// TraceWindow: what a sink receives of a run between two simulated times.
#include "sim/trace_window.h"

#include <doctest/doctest.h>

#include <string>
#include <vector>

namespace {

// Writes down every call, in order.
class Recorder final : public sim::TraceSink {
 public:
  std::vector<std::string> calls;
  void process(std::uint32_t pid, std::string_view, int) override { calls.push_back("process " + std::to_string(pid)); }
  void track(sim::TrackId id, std::uint32_t, std::string_view, int) override {
    calls.push_back("track " + std::to_string(id));
  }
  void counter_track(sim::TrackId id, std::uint32_t, std::string_view) override {
    calls.push_back("counter_track " + std::to_string(id));
  }
  void slice(sim::TrackId t, sim::Time b, sim::Time e, const sim::SliceStyle& s) override {
    calls.push_back("slice " + std::to_string(t) + " " + std::to_string(b) + ".." + std::to_string(e) + " " + s.name);
  }
  void labelled_slice(sim::TrackId t, sim::Time b, sim::Time e, const sim::SliceStyle&, std::string_view l) override {
    calls.push_back("labelled " + std::to_string(t) + " " + std::to_string(b) + ".." + std::to_string(e) + " " +
                    std::string(l));
  }
  void counter(sim::TrackId id, sim::Time t, std::int64_t v) override {
    calls.push_back("counter " + std::to_string(id) + " @" + std::to_string(t) + " = " + std::to_string(v));
  }
  void instant(sim::TrackId t, sim::Time at, const char* n) override {
    calls.push_back("instant " + std::to_string(t) + " @" + std::to_string(at) + " " + n);
  }
  void flow(sim::TrackId a, sim::Time ta, sim::TrackId b, sim::Time tb, const char* n) override {
    calls.push_back("flow " + std::to_string(a) + "@" + std::to_string(ta) + " -> " + std::to_string(b) + "@" +
                    std::to_string(tb) + " " + n);
  }
  void finish(sim::Time end) override { calls.push_back("finish " + std::to_string(end)); }
};

const sim::SliceStyle kRun{"Running", "#000000"};

}  // namespace

TEST_CASE("a window clips slices, keeps what lies inside, and starts counters at their level") {
  Recorder r;
  sim::TraceWindow w(r, 100, 200);
  w.process(7, "p", 0);
  w.track(1, 7, "t", 0);
  w.counter_track(2, 7, "c");
  w.counter(2, 10, 3);
  w.counter(2, 50, 4);          // the level when the window opens
  w.slice(1, 0, 90, kRun);      // before: dropped
  w.instant(1, 95, "early");    // before: dropped
  w.flow(1, 90, 1, 120, "in");  // starts before: dropped
  w.slice(1, 90, 150, kRun);    // clipped to 100..150
  w.counter(2, 160, 5);
  w.instant(1, 170, "inside");
  w.flow(1, 150, 1, 180, "arrow");
  w.labelled_slice(1, 150, 260, kRun, "holder");  // clipped to 150..200
  w.counter(2, 250, 6);         // after: dropped
  w.slice(1, 260, 300, kRun);   // after: dropped
  w.finish(300);
  CHECK(r.calls == std::vector<std::string>{
                       "process 7", "track 1", "counter_track 2", "counter 2 @100 = 4", "slice 1 100..150 Running",
                       "counter 2 @160 = 5", "instant 1 @170 inside", "flow 1@150 -> 1@180 arrow",
                       "labelled 1 150..200 holder", "finish 200"});
}

TEST_CASE("a window that the run never reaches gives the declarations and an empty run") {
  Recorder r;
  sim::TraceWindow w(r, 1000, 2000);
  w.track(1, 7, "t", 0);
  w.counter(1, 5, 1);
  w.slice(1, 0, 500, kRun);
  w.finish(600);
  CHECK(r.calls == std::vector<std::string>{"track 1", "finish 600"});
}
