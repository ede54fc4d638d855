// Request streams: the load a server is put under, and what it measured.
//
// A stream decides *when* requests arrive (an open-loop Poisson or constant
// rate, bursts, or a closed loop of clients that wait for each response and
// think before the next) and *which* request type each one is. Who serves a
// request (a thread taking it from the listen queue, or an asyncio loop that
// makes it a task) is up to the scenario's threads: models/servers.h.
//
// Statistics cover a window [warmup, duration): latency percentiles over the
// requests that arrived in it (whenever they finish: a run drains what is
// left), the offered load as the requests that arrived in it per second, and
// throughput as the responses sent in it per second. Under an offered load
// above capacity, that throughput is the capacity; below it, it follows the
// offered load (analysis/saturation.h finds where the two part).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "models/config.h"
#include "models/metrics.h"
#include "sim/event_queue.h"
#include "sim/random.h"
#include "sim/stats.h"

namespace models {

// What happened to a stream's requests over the whole run (requests.NAME:
// per stream, and summed over the streams).
struct RequestCounts {
  std::uint64_t arrived = 0;           // sent by the clients (retries not counted)
  std::uint64_t completed = 0;         // answered to a waiting client
  std::uint64_t listen_overflows = 0;  // connections a full backlog dropped
  std::uint64_t connect_timeouts = 0;  // out of SYN retransmissions
  std::uint64_t timeouts = 0;          // attempts whose client stopped waiting
  std::uint64_t retries = 0;           // attempts sent again after a timeout
  std::uint64_t late_responses = 0;    // responses to nobody
  std::uint64_t failed = 0;            // requests whose client gave up or got a 503
  std::uint64_t rejected = 0;          // 503s of a loop's limit_concurrency
};

// The counts by metric name, in the metrics' order: one table for the
// values (RequestStreams::collect) and the names (metrics.cc).
struct RequestCount {
  const char* name;
  std::uint64_t RequestCounts::*member;
};
inline constexpr RequestCount kRequestCounts[] = {
    {"arrived", &RequestCounts::arrived},
    {"completed", &RequestCounts::completed},
    {"listen_overflows", &RequestCounts::listen_overflows},
    {"connect_timeouts", &RequestCounts::connect_timeouts},
    {"timeouts", &RequestCounts::timeouts},
    {"retries", &RequestCounts::retries},
    {"late_responses", &RequestCounts::late_responses},
    {"failed", &RequestCounts::failed},
    {"rejected", &RequestCounts::rejected},
};

class RequestStreams {
 public:
  RequestStreams(const SimulationConfig& config, std::uint64_t seed, sim::EventQueue& events);

  // Schedules each stream's first arrivals (kArrival events, target = stream).
  void start();
  // A kArrival of stream `s` at now: how many requests arrive (a burst's
  // size, otherwise 1); schedules the next arrival of an open-loop stream.
  int arrivals(int s);
  // Which type the request of stream `s` arriving now is (drawn by weight).
  // Called once per request, at its arrival: it counts the offered load.
  int pick_type(int s);
  const RequestStream& stream(int s) const { return config_.requests[static_cast<std::size_t>(s)]; }
  const Program& program(int s, int type) const {
    return config_.requests[static_cast<std::size_t>(s)].mix[static_cast<std::size_t>(type)].program;
  }
  // A request of stream `s` reaches the server: a client's or a retry.
  void opened() { ++open_; }
  // The response to a request was sent now. `first_sent`: when its client
  // first sent it (retries included). `waited`: its client was still
  // waiting, and a closed-loop client then thinks and sends its next
  // request; otherwise it is a late response, served for nobody.
  void respond(int s, int type, sim::Time first_sent, bool waited);
  // A client of stream `s` stopped waiting for a response (its timeout).
  void client_timeout(int s) { ++streams_[static_cast<std::size_t>(s)].counts.timeouts; }
  // ... and sends the request again (counted in the offered load).
  void retry(int s, int type);
  // ... or, out of retries, gives up on it.
  void give_up(int s);
  // The server answered 503 at once (uvicorn's limit_concurrency). `waited`:
  // its client was still waiting, and now has its answer: a failure.
  void reject(int s, bool waited);
  // A request left the server unserved: its client gave up before it
  // connected (a SYN it will not retransmit).
  void dropped() { --open_; }
  // A connection of stream `s` found the listen backlog full and was dropped.
  void listen_overflow(int s) { ++streams_[static_cast<std::size_t>(s)].counts.listen_overflows; }
  // A client gave up connecting (its SYN retries are spent): the request
  // ends unanswered; a closed-loop client thinks and sends its next one.
  // `waited`: its client was still waiting (no timeout of its own before).
  void connect_timeout(int s, bool waited);

  // Every request that will arrive has arrived, and every client and the
  // server are done with each (abandoned requests are served all the same).
  bool drained() const { return scheduled_ == 0 && in_flight_.level() == 0 && open_ == 0; }
  std::int64_t in_flight() const { return in_flight_.level(); }
  std::int64_t in_flight(int s) const { return streams_[static_cast<std::size_t>(s)].in_flight; }
  std::size_t size() const { return streams_.size(); }
  sim::Time last_response() const { return last_response_; }

  // requests.* metrics (names: request_metric_names in metrics.cc).
  void collect(Metrics& m, const std::vector<std::size_t>& queue_max, sim::Time end) const;

 private:
  struct Latencies {
    std::vector<sim::Time> values;  // of requests that arrived in the window
    std::uint64_t arrivals_in_window = 0;   // retries included: the server's load
    std::uint64_t responses_in_window = 0;  // late ones included: the server's work
    std::uint64_t answered_in_window = 0;   // to a waiting client: the goodput
  };
  struct Stream {
    const RequestStream* config = nullptr;
    sim::Rng rng;
    double total_weight = 0;
    RequestCounts counts;
    std::int64_t in_flight = 0;
    Latencies all;
    std::vector<Latencies> by_type;
  };
  void schedule_arrival(int s, sim::Time at);
  // The client of a request of stream `s` has its answer, or gave up.
  void client_done(int s);
  // A request its client gets no answer to: a failure, if the client still
  // waited for it (`waited`), and then the client is done with it.
  void unanswered(int s, bool waited);
  void record(Latencies& l, const RequestStream& rs, sim::Time first_sent, sim::Time now, bool waited);
  void count_arrival(Stream& st, int type);
  static void put(Metrics& m, const std::string& prefix, const Latencies& l, const RequestStream& rs);

  const SimulationConfig& config_;
  sim::EventQueue& events_;
  std::vector<Stream> streams_;
  std::int64_t scheduled_ = 0;  // arrivals scheduled and not yet happened
  std::int64_t open_ = 0;       // requests sent to the server and not yet answered or dropped
  sim::TimeWeighted in_flight_;
  sim::Time last_response_ = 0;
};

// Nearest-rank percentile (p in (0, 100]) of sorted values; 0 when empty.
sim::Time percentile(const std::vector<sim::Time>& sorted, double p);

}  // namespace models
