// Servers and their clients: what happens to a request from the moment its
// client sends it to its response. Requests arrive (models/requests.h says
// when and of which type), connect to the stream's listen queue (the
// socket's accept backlog, dropped when full, the SYN retransmitted), and a
// server takes them: a thread blocked in accept() (`serve`), or an asyncio
// loop that makes each a task (`asyncio: {serve}`), answering 503 at once
// past its limit_concurrency. A client may stop waiting (its timeout) and
// send the request again; the server is not told.
#pragma once

#include <cstdint>
#include <vector>

#include "models/asyncio_loops.h"
#include "models/requests.h"
#include "models/run_plan.h"
#include "models/thread_control.h"
#include "models/work_queue.h"

namespace models {

class Servers {
 public:
  Servers(const RunPlan& plan, std::uint64_t seed, ThreadControl& threads, WorkQueues& work, AsyncioLoops& asyncio);

  // Schedules each stream's first arrivals.
  void start() { requests_.start(); }
  // kArrival: requests of stream `s` arrive, each a work item that connects.
  void on_arrival(int s);
  // kSynRetry: a dropped connection's client tries again.
  void on_syn_retry(int item);
  // kClientTimeout: a client stops waiting for its response.
  void on_client_timeout(int item);
  // An asyncio loop serving stream `s` at the top of its turn: every
  // connection waiting in the backlog becomes a task, or a 503 past `limit`
  // requests in progress on this loop (0: no limit).
  void accept(int tid, int s, std::int64_t limit);
  // A request's response is sent by thread `tid`.
  void respond(int tid, int item);

  const RequestStreams& requests() const { return requests_; }
  // The longest accept backlog of each request stream.
  std::vector<std::size_t> listen_queue_max() const;
  void set_trace(sim::TraceSink* trace, const TraceTracks& tracks) {
    trace_ = trace;
    tracks_ = &tracks;
  }

 private:
  void send(int item);       // a client sends a request: its timeout starts
  void connect(int item);    // a request's connection reaches the listen queue
  void connected(int s);     // after connections: wake a loop, trace the queue
  void wake_acceptor(int s); // a serving loop blocked in select(), if any
  void trace_stream(int s);
  WorkQueue& listen_queue(int s) { return work_[ids_.listen(static_cast<std::uint32_t>(s))]; }

  const QueueIds& ids_;
  ThreadControl& threads_;
  WorkQueues& work_;
  AsyncioLoops& asyncio_;
  RequestStreams requests_;
  const std::vector<std::vector<int>>& acceptors_;  // by stream: the asyncio loops serving it
  std::vector<std::size_t> next_acceptor_;          // round robin among them
  sim::TraceSink* trace_ = nullptr;
  const TraceTracks* tracks_ = nullptr;
};

}  // namespace models
