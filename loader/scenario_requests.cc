#include "loader/scenario_requests.h"

#include <cmath>
#include <utility>

#include "loader/scenario_distribution.h"
#include "loader/unique_names.h"
#include "loader/yaml_values.h"

namespace loader {

namespace {

using models::Arrival;

// Limits that catch a typo. Linux caps a backlog at net.core.somaxconn
// (65535 at most); 10 SYN retries already wait 17 minutes at 1 s.
constexpr std::int64_t kMaxBacklog = 1000000;
constexpr std::int64_t kMaxSynRetries = 10;
constexpr std::int64_t kMaxRetries = 100;

// Closed-loop clients are simulated one by one: the limit catches typos.
constexpr std::int64_t kMaxClients = 1'000'000;

const char* const kArrivalForms =
    "{poisson: 200/s}, {constant: 200/s}, {burst: {size: 50, every: 1s}} or "
    "{closed: {clients: 20, think: 50ms}}";

int line_of(const YamlSource& src, const YAML::Node& node) { return src.pos(node.Mark()).line; }

// Of two nodes, the one written later in the file: a conflict is reported there.
const YAML::Node& later(const YamlSource& src, const YAML::Node& a, const YAML::Node& b) {
  const SourcePos pa = src.pos(a.Mark());
  const SourcePos pb = src.pos(b.Mark());
  return std::pair(pa.line, pa.column) < std::pair(pb.line, pb.column) ? b : a;
}

const YamlEntry& required(const YamlSource& src, const YAML::Node& item, const std::vector<YamlEntry>& entries,
                          const std::string& key, const std::string& message) {
  const YamlEntry* e = find_entry(entries, key);
  if (!e) src.fail(item, message);
  return *e;
}

Arrival read_arrival(const YamlSource& src, const YAML::Node& node, const std::string& label) {
  const std::string what = "arrival of " + label;
  const auto entries = map_entries(src, node, what);
  if (entries.empty()) src.fail(node, what + " is empty: write one of " + kArrivalForms);
  check_keys(src, entries, {"poisson", "constant", "burst", "closed"}, "in " + what);
  if (entries.size() > 1)
    src.fail(entries[1].key_node, what + " has one kind: '" + entries[0].key + "' or '" + entries[1].key +
                                      "', not both");
  const YamlEntry& e = entries.front();
  Arrival a;
  if (e.key == "poisson" || e.key == "constant") {
    a.kind = e.key == "poisson" ? Arrival::Kind::Poisson : Arrival::Kind::Constant;
    a.rate = read_rate(src, e.value, "the rate of " + label);
    return a;
  }
  const auto options = map_entries(src, e.value, "'" + e.key + "' arrival of " + label);
  if (e.key == "burst") {
    a.kind = Arrival::Kind::Burst;
    check_keys(src, options, {"size", "every"}, "in 'burst' of " + label);
    const std::string example = ": e.g. {burst: {size: 50, every: 1s}}";
    const YamlEntry& size = required(src, e.value, options, "size", "'burst' needs 'size', the requests at once" + example);
    const YamlEntry& every = required(src, e.value, options, "every", "'burst' needs 'every', the time between bursts" + example);
    a.burst_size = static_cast<int>(read_int(src, size.value, "size of the bursts of " + label, 1, kMaxClients));
    a.every = read_duration(src, every.value, "every of the bursts of " + label);
    if (a.every <= 0) src.fail(every.value, "the time between bursts of " + label + " must be above 0");
    return a;
  }
  a.kind = Arrival::Kind::Closed;
  check_keys(src, options, {"clients", "think"}, "in 'closed' of " + label);
  const YamlEntry& clients = required(src, e.value, options, "clients",
                                      "'closed' needs 'clients', how many clients send requests (each waits for "
                                      "its response, thinks, and sends the next): e.g. {closed: {clients: 20, "
                                      "think: 50ms}}");
  a.clients = static_cast<int>(read_int(src, clients.value, "clients of " + label, 1, kMaxClients));
  // No think time: each client sends its next request as soon as it has a response.
  a.think = sim::Distribution::constant(0);
  if (const YamlEntry* think = find_entry(options, "think"))
    a.think = read_distribution(src, think->value, "think of " + label);
  return a;
}

// `mix: [{name, weight, run}, ...]`: the request types of a stream.
void read_mix(const YamlSource& src, const YAML::Node& node, const std::string& label, StreamItem& out) {
  const auto items = list_items(src, node, "mix of " + label);
  if (items.empty()) src.fail(node, "mix of " + label + " is empty: give it at least one request type");
  DefinedNames names(src, "request type");
  for (const auto& item : items) {
    const auto fields = map_entries(src, item, "a request type");
    const YamlEntry* name = find_entry(fields, "name");
    const std::string type =
        name && name->value.IsScalar() ? "request type '" + name->value.Scalar() + "'" : "a request type";
    check_keys(src, fields, {"name", "weight", "run"}, "in " + type + " of " + label);
    if (!name) src.fail(item, "a request type in the mix of " + label + " needs a 'name'");
    models::RequestType t;
    t.name = read_identifier(src, name->value, "request type name");
    names.add(t.name, name->value);
    if (const YamlEntry* w = find_entry(fields, "weight")) {
      t.weight = read_number(src, w->value, "weight of " + type);
      if (!(t.weight > 0) || !std::isfinite(t.weight))
        src.fail(w->value, "weight of " + type + " must be above 0 (a share of the requests), got " +
                               w->value.Scalar());
    }
    const YamlEntry& run = required(src, item, fields, "run", type + " needs 'run', what serving one request does");
    out.stream.mix.push_back(std::move(t));
    out.runs.push_back(run.value);
  }
}

StreamItem read_stream(const YamlSource& src, const YAML::Node& item) {
  const auto entries = map_entries(src, item, "a request stream");
  const YamlEntry* name = find_entry(entries, "name");
  const std::string label =
      name && name->value.IsScalar() ? "request stream '" + name->value.Scalar() + "'" : "a request stream";
  check_keys(src, entries,
             {"name", "arrival", "duration", "warmup", "run", "mix", "backlog", "syn_retries", "syn_timeout",
              "timeout", "retries"},
             "in " + label);
  if (!name) src.fail(item, "a request stream needs a 'name'");
  StreamItem s;
  s.name_node = name->value;
  s.stream.name = read_identifier(src, name->value, "request stream name");
  const YamlEntry& arrival = required(src, item, entries, "arrival",
                                      label + " needs 'arrival', how requests arrive: " + kArrivalForms);
  s.stream.arrival = read_arrival(src, arrival.value, label);
  std::string duration_text = "10s";  // the default, as a message shows it
  if (const YamlEntry* d = find_entry(entries, "duration")) {
    duration_text = d->value.Scalar();
    s.stream.duration = read_duration(src, d->value, "duration of " + label);
    if (s.stream.duration <= 0) src.fail(d->value, "duration of " + label + " must be above 0");
  }
  if (const YamlEntry* w = find_entry(entries, "warmup")) {
    s.stream.warmup = read_duration(src, w->value, "warmup of " + label);
    if (s.stream.warmup >= s.stream.duration)
      src.fail(w->value, "warmup of " + label + " must be shorter than its duration (" +
                             duration_text +
                             "): the statistics cover the requests that arrive between the two");
  }
  // The listen backlog and the clients' SYN retransmissions (models/config.h).
  if (const YamlEntry* b = find_entry(entries, "backlog"))
    s.stream.backlog = read_int(src, b->value, "backlog of " + label, 1, kMaxBacklog);
  if (const YamlEntry* r = find_entry(entries, "syn_retries"))
    s.stream.syn_retries = static_cast<int>(read_int(src, r->value, "syn_retries of " + label, 0, kMaxSynRetries));
  if (const YamlEntry* t = find_entry(entries, "syn_timeout")) {
    s.stream.syn_timeout = read_duration(src, t->value, "syn_timeout of " + label);
    if (s.stream.syn_timeout <= 0) src.fail(t->value, "syn_timeout of " + label + " must be above 0");
  }
  // The clients' patience (models/config.h): a timeout, and retries after one.
  if (const YamlEntry* t = find_entry(entries, "timeout")) {
    s.stream.timeout = read_duration(src, t->value, "timeout of " + label);
    if (s.stream.timeout <= 0) src.fail(t->value, "timeout of " + label + " must be above 0");
  }
  if (const YamlEntry* r = find_entry(entries, "retries")) {
    s.stream.retries = static_cast<int>(read_int(src, r->value, "retries of " + label, 0, kMaxRetries));
    if (s.stream.retries > 0 && s.stream.timeout == 0)
      src.fail(r->key_node, label + " has retries but no timeout: a client retries after its timeout");
  }
  const YamlEntry* run = find_entry(entries, "run");
  const YamlEntry* mix = find_entry(entries, "mix");
  if (run && mix)
    src.fail(later(src, run->key_node, mix->key_node),
             label + " has 'run' (one request type) or 'mix' (several), not both");
  if (!run && !mix)
    src.fail(item, label + " needs 'run', what serving one request does, or 'mix', several request types "
                   "with weights");
  if (mix) {
    read_mix(src, mix->value, label, s);
  } else {
    // One request type, named after its stream.
    models::RequestType t;
    t.name = s.stream.name;
    s.stream.mix.push_back(std::move(t));
    s.runs.push_back(run->value);
  }
  return s;
}

}  // namespace

std::vector<StreamItem> read_streams(const YamlSource& src, const YAML::Node& node) {
  std::vector<StreamItem> out;
  DefinedNames names(src, "request stream");
  for (const auto& item : list_items(src, node, "requests")) {
    out.push_back(read_stream(src, item));
    names.add(out.back().stream.name, out.back().name_node);
  }
  return out;
}

std::vector<std::string> stream_names(const std::vector<StreamItem>& streams) {
  std::vector<std::string> names;
  for (const auto& s : streams) names.push_back(s.stream.name);
  return names;
}

std::vector<models::RequestStream> finish_streams(const YamlSource& src, std::vector<StreamItem> streams,
                                                  const std::vector<StreamServer>& servers,
                                                  const ProgramContext& context, bool check_names) {
  std::vector<models::RequestStream> out;
  for (auto& item : streams) {
    models::RequestStream& s = item.stream;
    const StreamServer* by_thread = nullptr;
    const StreamServer* by_loop = nullptr;
    ProgramContext in_server = context;
    for (const auto& server : servers) {
      if (server.stream != s.name) continue;
      const StreamServer*& first = server.asyncio ? by_loop : by_thread;
      if (!first) first = &server;
      // Requests run where their server is: a child process has no pools,
      // and shares no locks or counters with the main process.
      if (!server.process.empty()) in_server.process = server.process;
    }
    if (!by_thread && !by_loop) {
      if (!check_names) {
        out.push_back(std::move(s));
        continue;
      }
      src.fail(item.name_node, "request stream '" + s.name + "' is served by nobody: add `serve: " + s.name +
                                   "` to a thread, or `asyncio: {serve: " + s.name + "}`");
    }
    if (by_thread && by_loop) {
      const bool loop_later = &later(src, by_loop->node, by_thread->node) == &by_loop->node;
      const StreamServer& later = loop_later ? *by_loop : *by_thread;
      const StreamServer& earlier = loop_later ? *by_thread : *by_loop;
      src.fail(later.node, "request stream '" + s.name + "' is served by " +
                               (loop_later ? "an asyncio loop here and by threads" : "threads here and by an asyncio loop") +
                               " on line " + std::to_string(line_of(src, earlier.node)) +
                               ": its requests are either asyncio tasks or run by threads, not both");
    }
    s.async = by_loop != nullptr;
    for (std::size_t i = 0; i < s.mix.size(); ++i)
      s.mix[i].program = read_request_program(src, item.runs[i], s.name, s.mix[i].name, s.async, in_server);
    out.push_back(std::move(s));
  }
  return out;
}

}  // namespace loader
