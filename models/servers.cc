#include "models/servers.h"

#include <algorithm>

#include "models/events.h"

namespace models {

Servers::Servers(const RunPlan& plan, std::uint64_t seed, ThreadControl& threads, WorkQueues& work,
                 AsyncioLoops& asyncio)
    : ids_(plan.queues()),
      threads_(threads),
      work_(work),
      asyncio_(asyncio),
      requests_(plan.config(), seed, threads.events()),
      acceptors_(plan.acceptors()),
      next_acceptor_(plan.config().requests.size()) {}

void Servers::on_arrival(int s) {
  const int n = requests_.arrivals(s);
  const sim::Time now = threads_.events().now();
  for (int i = 0; i < n; ++i) {
    const int id = work_.items.make();
    WorkItem& w = work_.items[id];
    w.stream = s;
    w.type = requests_.pick_type(s);
    w.body = &requests_.program(s, w.type);
    w.submitted = w.first_sent = now;
    send(id);
  }
  connected(s);
}

void Servers::send(int id) {
  WorkItem& w = work_.items[id];
  requests_.opened();
  const RequestStream& rs = requests_.stream(w.stream);
  sim::EventQueue& events = threads_.events();
  if (rs.timeout > 0)
    w.client_timeout = events.schedule(events.now() + rs.timeout, kClientTimeout, static_cast<std::uint32_t>(id));
  connect(id);
}

// The client retransmits its SYN, unless it has given up on the request
// meanwhile. The request keeps the time of its first attempt: the retries
// are part of its latency.
void Servers::on_syn_retry(int id) {
  const int s = work_.items[id].stream;
  if (work_.items[id].abandoned) {
    requests_.dropped();
    work_.items.release(id);
    return;
  }
  connect(id);
  connected(s);
}

// The client stops waiting. The server is not told: an accepted or queued
// request is still served (its response will be late), a dropped connection
// is not retransmitted. The client sends the request again if its retries
// allow, as a new request, or gives up on it.
void Servers::on_client_timeout(int id) {
  WorkItem& w = work_.items[id];
  w.abandoned = true;
  const int s = w.stream, type = w.type, attempt = w.attempt;
  const sim::Time first_sent = w.first_sent;
  const Program* body = w.body;
  requests_.client_timeout(s);
  if (attempt >= requests_.stream(s).retries) {
    requests_.give_up(s);
    return;
  }
  const int retry = work_.items.make();  // may move the items: `w` is not used after this
  WorkItem& r = work_.items[retry];
  r.stream = s;
  r.type = type;
  r.body = body;
  r.submitted = threads_.events().now();
  r.first_sent = first_sent;
  r.attempt = attempt + 1;
  requests_.retry(s, type);
  send(retry);
  connected(s);
}

// A server thread blocked in accept() takes the connection at once, the
// longest-waiting first; otherwise it waits in the listen queue, unless the
// queue holds `backlog` connections already: then the kernel drops it, and
// the client retransmits later or, out of retries, gives up.
void Servers::connect(int id) {
  WorkItem& w = work_.items[id];
  const RequestStream& rs = requests_.stream(w.stream);
  WorkQueue& q = listen_queue(w.stream);
  sim::EventQueue& events = threads_.events();
  if (!q.takers.empty()) {
    const int taker = q.takers.front();
    q.takers.pop_front();
    threads_[taker].item = id;
    work_.taken(taker, id, events.now());
    threads_.wake_waiting(taker, -1);  // the kernel wakes it: the packet came from the network
  } else if (rs.backlog == 0 || static_cast<std::int64_t>(q.items.size()) < rs.backlog) {
    q.items.push_back(id);
    q.max_items = std::max(q.max_items, q.items.size());
  } else {
    requests_.listen_overflow(w.stream);
    if (trace_) trace_->instant(tracks_->requests(w.stream), events.now(), "SYN dropped");
    if (w.syn_retries < rs.syn_retries) {
      // Exponential back-off: syn_timeout, 2x, 4x, ... (RFC 6298, 5.5).
      events.post(events.now() + (rs.syn_timeout << w.syn_retries), kSynRetry, static_cast<std::uint32_t>(id));
      ++w.syn_retries;
    } else {
      // Out of SYN retries: the client gives up connecting.
      events.cancel(w.client_timeout);
      requests_.connect_timeout(w.stream, !w.abandoned);
      work_.items.release(id);
    }
  }
}

void Servers::connected(int s) {
  if (!listen_queue(s).items.empty()) wake_acceptor(s);
  if (trace_) trace_stream(s);
}

void Servers::wake_acceptor(int s) {
  const auto& loops = acceptors_[static_cast<std::size_t>(s)];
  std::size_t& next = next_acceptor_[static_cast<std::size_t>(s)];
  for (std::size_t i = 0; i < loops.size(); ++i) {
    const int tid = loops[(next + i) % loops.size()];
    if (asyncio_.idle_in_select(tid)) {
      next = (next + i + 1) % loops.size();
      threads_.wake_waiting(tid, -1);
      return;
    }
  }
}

void Servers::accept(int tid, int s, std::int64_t limit) {
  WorkQueue& q = listen_queue(s);
  if (q.items.empty()) return;
  const sim::Time now = threads_.events().now();
  while (!q.items.empty()) {
    const int item = q.items.front();
    q.items.pop_front();
    if (limit > 0 && asyncio_.loop(tid).requests >= limit) {
      // uvicorn's limit_concurrency: a 503 goes out at once, no task.
      WorkItem& w = work_.items[item];
      threads_.events().cancel(w.client_timeout);
      requests_.reject(s, !w.abandoned);
      if (trace_) trace_->flow(tracks_->thread(tid), now, tracks_->requests(s), now, "503");
      work_.items.release(item);
      continue;
    }
    asyncio_.new_request_task(tid, item, work_.items[item].body);
    work_.taken(tid, item, now);
  }
  if (trace_) trace_stream(s);
}

void Servers::respond(int tid, int id) {
  WorkItem& w = work_.items[id];
  sim::EventQueue& events = threads_.events();
  events.cancel(w.client_timeout);
  requests_.respond(w.stream, w.type, w.first_sent, !w.abandoned);
  work_.last_completion = events.now();
  if (trace_) {
    trace_->flow(tracks_->thread(tid), events.now(), tracks_->requests(w.stream), events.now(), "response");
    trace_stream(w.stream);
  }
  work_.items.release(id);
}

void Servers::trace_stream(int s) {
  const sim::Time now = threads_.events().now();
  trace_->counter(tracks_->in_flight(s), now, requests_.in_flight(s));
  trace_->counter(tracks_->backlog(s), now, static_cast<std::int64_t>(listen_queue(s).items.size()));
}

std::vector<std::size_t> Servers::listen_queue_max() const {
  std::vector<std::size_t> out;
  for (std::uint32_t s = 0; s < requests_.size(); ++s) out.push_back(work_[ids_.listen(s)].max_items);
  return out;
}

}  // namespace models
