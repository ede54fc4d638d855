#include "models/requests.h"

#include <algorithm>
#include <cmath>

#include "models/events.h"
#include "models/ids.h"

namespace models {

namespace {

sim::Time round_ns(double ns) { return sim::nearest_ns(ns); }

// The arrival `gap_ns` after `from`, or -1 when that is not before
// `duration`. Compared as a double first: a tiny rate's gap (1e-99/s) is far
// past what integer nanoseconds hold.
sim::Time arrival_before(sim::Time from, double gap_ns, sim::Time duration) {
  if (!(gap_ns < static_cast<double>(duration - from))) return -1;
  const sim::Time t = from + round_ns(gap_ns);
  return t < duration ? t : -1;
}

}  // namespace

sim::Time percentile(const std::vector<sim::Time>& sorted, double p) {
  if (sorted.empty()) return 0;
  // Nearest rank: the smallest value with at least p % of the values at or below it.
  const auto n = static_cast<double>(sorted.size());
  auto rank = static_cast<std::size_t>(std::ceil(p / 100.0 * n));
  rank = std::clamp<std::size_t>(rank, 1, sorted.size());
  return sorted[rank - 1];
}

RequestStreams::RequestStreams(const SimulationConfig& config, std::uint64_t seed, sim::EventQueue& events)
    : config_(config), events_(events) {
  streams_.resize(config.requests.size());
  for (std::size_t s = 0; s < streams_.size(); ++s) {
    Stream& st = streams_[s];
    st.config = &config.requests[s];
    st.rng = sim::Rng(seed, RngStreams::request_stream(static_cast<int>(s)));
    for (const auto& t : st.config->mix) st.total_weight += t.weight;
    st.by_type.resize(st.config->mix.size());
  }
}

void RequestStreams::schedule_arrival(int s, sim::Time at) {
  ++scheduled_;
  events_.post(at, kArrival, static_cast<std::uint32_t>(s));
}

void RequestStreams::start() {
  for (std::size_t s = 0; s < streams_.size(); ++s) {
    Stream& st = streams_[s];
    const Arrival& a = st.config->arrival;
    const int si = static_cast<int>(s);
    switch (a.kind) {
      case Arrival::Kind::Poisson:
        // The first arrival, like every next one, an exponential gap away.
        if (const sim::Time t = arrival_before(0, st.rng.exponential(1e9 / a.rate), st.config->duration); t >= 0)
          schedule_arrival(si, t);
        break;
      case Arrival::Kind::Constant:
      case Arrival::Kind::Burst:
        schedule_arrival(si, 0);
        break;
      case Arrival::Kind::Closed:
        // Each client thinks before its first request, so that they do not
        // all start at the same instant.
        for (int c = 0; c < a.clients; ++c)
          if (const sim::Time t = a.think.sample(st.rng); t < st.config->duration) schedule_arrival(si, t);
        break;
    }
  }
}

int RequestStreams::arrivals(int s) {
  Stream& st = streams_[static_cast<std::size_t>(s)];
  const Arrival& a = st.config->arrival;
  const sim::Time now = events_.now();
  --scheduled_;
  int n = 1;
  sim::Time next = -1;
  switch (a.kind) {
    case Arrival::Kind::Poisson:
      next = arrival_before(now, st.rng.exponential(1e9 / a.rate), st.config->duration);
      break;
    case Arrival::Kind::Constant:
      // The i-th arrival at round(i / rate): no drift from rounding each gap.
      next = arrival_before(0, static_cast<double>(st.counts.arrived + 1) * 1e9 / a.rate, st.config->duration);
      break;
    case Arrival::Kind::Burst:
      n = a.burst_size;
      next = now + a.every;
      break;
    case Arrival::Kind::Closed:
      break;  // the client's next request follows its response
  }
  if (next >= 0 && next < st.config->duration) schedule_arrival(s, next);
  st.counts.arrived += static_cast<std::uint64_t>(n);
  st.in_flight += n;
  in_flight_.add(now, n);
  return n;
}

int RequestStreams::pick_type(int s) {
  Stream& st = streams_[static_cast<std::size_t>(s)];
  int type = static_cast<int>(st.config->mix.size() - 1);
  if (st.config->mix.size() > 1) {
    double x = st.rng.uniform01() * st.total_weight;
    for (std::size_t i = 0; i + 1 < st.config->mix.size(); ++i) {
      x -= st.config->mix[i].weight;
      if (x < 0) {
        type = static_cast<int>(i);
        break;
      }
    }
  }
  count_arrival(st, type);
  return type;
}

void RequestStreams::count_arrival(Stream& st, int type) {
  const sim::Time now = events_.now();
  if (now >= st.config->warmup && now < st.config->duration) {
    ++st.all.arrivals_in_window;
    ++st.by_type[static_cast<std::size_t>(type)].arrivals_in_window;
  }
}

void RequestStreams::retry(int s, int type) {
  Stream& st = streams_[static_cast<std::size_t>(s)];
  ++st.counts.retries;
  count_arrival(st, type);
}

void RequestStreams::give_up(int s) { unanswered(s, true); }

void RequestStreams::unanswered(int s, bool waited) {
  if (!waited) return;
  ++streams_[static_cast<std::size_t>(s)].counts.failed;
  client_done(s);
}

void RequestStreams::record(Latencies& l, const RequestStream& rs, sim::Time first_sent, sim::Time now,
                            bool waited) {
  const bool in_window = now >= rs.warmup && now < rs.duration;
  if (in_window) ++l.responses_in_window;
  if (!waited) return;
  if (first_sent >= rs.warmup && first_sent < rs.duration) l.values.push_back(now - first_sent);
  if (in_window) ++l.answered_in_window;
}

void RequestStreams::respond(int s, int type, sim::Time first_sent, bool waited) {
  Stream& st = streams_[static_cast<std::size_t>(s)];
  const sim::Time now = events_.now();
  --open_;
  last_response_ = now;
  record(st.all, *st.config, first_sent, now, waited);
  record(st.by_type[static_cast<std::size_t>(type)], *st.config, first_sent, now, waited);
  if (!waited) {
    ++st.counts.late_responses;
    return;
  }
  ++st.counts.completed;
  client_done(s);
}

void RequestStreams::reject(int s, bool waited) {
  --open_;
  ++streams_[static_cast<std::size_t>(s)].counts.rejected;
  unanswered(s, waited);
}

void RequestStreams::connect_timeout(int s, bool waited) {
  --open_;
  ++streams_[static_cast<std::size_t>(s)].counts.connect_timeouts;
  unanswered(s, waited);
}

void RequestStreams::client_done(int s) {
  Stream& st = streams_[static_cast<std::size_t>(s)];
  const sim::Time now = events_.now();
  --st.in_flight;
  in_flight_.add(now, -1);
  const Arrival& a = st.config->arrival;
  if (a.kind == Arrival::Kind::Closed)
    if (const sim::Time next = now + a.think.sample(st.rng); next < st.config->duration) schedule_arrival(s, next);
}

void RequestStreams::put(Metrics& m, const std::string& prefix, const Latencies& l, const RequestStream& rs) {
  std::vector<sim::Time> v = l.values;
  std::sort(v.begin(), v.end());
  double sum = 0;
  for (sim::Time x : v) sum += sim::to_seconds(x);
  m[prefix + "p50"] = sim::to_seconds(percentile(v, 50));
  m[prefix + "p90"] = sim::to_seconds(percentile(v, 90));
  m[prefix + "p99"] = sim::to_seconds(percentile(v, 99));
  m[prefix + "max"] = v.empty() ? 0.0 : sim::to_seconds(v.back());
  m[prefix + "mean"] = v.empty() ? 0.0 : sum / static_cast<double>(v.size());
  const double window = sim::to_seconds(rs.duration - rs.warmup);
  m[prefix + "offered"] = window > 0 ? static_cast<double>(l.arrivals_in_window) / window : 0.0;
  m[prefix + "throughput"] = window > 0 ? static_cast<double>(l.responses_in_window) / window : 0.0;
  m[prefix + "goodput"] = window > 0 ? static_cast<double>(l.answered_in_window) / window : 0.0;
}

void RequestStreams::collect(Metrics& m, const std::vector<std::size_t>& queue_max, sim::Time end) const {
  if (streams_.empty()) return;
  // The totals: every stream's requests together. With one stream (the
  // usual case) they are that stream's figures.
  Latencies all;
  RequestCounts total;
  std::size_t backlog = 0;
  double window = 0;
  for (std::size_t s = 0; s < streams_.size(); ++s) {
    const Stream& st = streams_[s];
    const RequestStream& rs = *st.config;
    const std::string p = "requests." + rs.name + ".";
    put(m, p, st.all, rs);
    for (const RequestCount& c : kRequestCounts) {
      m[p + c.name] = static_cast<double>(st.counts.*c.member);
      total.*c.member += st.counts.*c.member;
    }
    m[p + "queue_max"] = static_cast<double>(queue_max[s]);
    if (rs.mix.size() > 1)
      for (std::size_t k = 0; k < rs.mix.size(); ++k) put(m, p + rs.mix[k].name + ".", st.by_type[k], rs);
    all.values.insert(all.values.end(), st.all.values.begin(), st.all.values.end());
    all.arrivals_in_window += st.all.arrivals_in_window;
    all.responses_in_window += st.all.responses_in_window;
    all.answered_in_window += st.all.answered_in_window;
    backlog = std::max(backlog, queue_max[s]);
    window = std::max(window, sim::to_seconds(rs.duration - rs.warmup));
  }
  RequestStream span;  // the totals' window: the longest stream's (streams usually share one)
  span.warmup = 0;
  span.duration = static_cast<sim::Time>(std::llround(window * 1e9));
  put(m, "requests.", all, span);
  for (const RequestCount& c : kRequestCounts) m[std::string("requests.") + c.name] = static_cast<double>(total.*c.member);
  m["requests.queue_max"] = static_cast<double>(backlog);
  m["requests.in_flight_max"] = static_cast<double>(in_flight_.max());
  m["requests.in_flight_avg"] = in_flight_.mean(end);
}

}  // namespace models
