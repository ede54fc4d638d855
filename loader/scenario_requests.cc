#include "loader/scenario_requests.h"

#include <cmath>
#include <optional>
#include <utility>

#include "loader/scenario_distribution.h"
#include "loader/schema.h"
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

// ---------------------------------------------------------------------------
// An arrival and its kinds

struct ArrivalExtra {
  std::string stream;  // the stream's label: "request stream 'api'"
};
using ArrivalReading = Reading<Arrival, ArrivalExtra>;
using ArrivalKey = Key<Arrival, ArrivalExtra>;

const Section<Arrival, ArrivalExtra>& burst_section() {
  static const Section<Arrival, ArrivalExtra> section(
      "burst", "`arrival: {burst: {...}}` of a request stream", "`size` requests at once, every `every`.",
      {
          {.name = "size", .type = ValueType::Integer, .field = &Arrival::burst_size, .limits = {1, kMaxClients},
           .unit = "requests", .presence = Presence::Required, .needs = ", the requests at once",
           .doc = "Requests that arrive together."},
          {.name = "every", .type = ValueType::Duration, .field = &Arrival::every, .limits = {.above_zero = true},
           .presence = Presence::Required,
           .needs = ", the time between bursts",
           .read = [](ArrivalReading& r, const ArrivalKey& key, const YamlEntry* e) {
             r.target.every = read_duration(r.src, e->value, r.where(key.name));
             if (r.target.every <= 0)
               r.src.fail(e->value, "the time between bursts of " + r.extra.stream + " must be above 0");
           },
           .doc = "The time from one burst to the next."},
      },
      "e.g. {burst: {size: 50, every: 1s}}");
  return section;
}

const Section<Arrival, ArrivalExtra>& closed_section() {
  static const Section<Arrival, ArrivalExtra> section(
      "closed", "`arrival: {closed: {...}}` of a request stream",
      "A closed loop: each client sends a request, waits for its response, thinks, and sends the next.",
      {
          {.name = "clients", .type = ValueType::Integer, .field = &Arrival::clients, .limits = {1, kMaxClients},
           .unit = "clients", .presence = Presence::Required,
           .needs = ", how many clients send requests (each waits for its response, thinks, and sends the next)",
           .doc = "How many clients."},
          {.name = "think", .type = ValueType::Distribution, .field = &Arrival::think,
           .doc = "A client's pause between a response and its next request; 0 sends at once."},
      },
      "e.g. {closed: {clients: 20, think: 50ms}}");
  return section;
}

// Poisson and constant arrivals: a rate.
void read_rate_arrival(ArrivalReading& r, Arrival::Kind kind, const YamlEntry* e) {
  r.target.kind = kind;
  r.target.rate = read_rate(r.src, e->value, "the rate of " + r.extra.stream);
}

// `burst` and `closed`: a map of their own.
// `of` names its parameters in messages: "size of the bursts of request stream 'api'".
void read_arrival_map(ArrivalReading& r, Arrival::Kind kind, const Section<Arrival, ArrivalExtra>& section,
                      const std::string& of, const YamlEntry* e) {
  const std::string label = "'" + e->key + "'";
  const auto options = map_entries(r.src, e->value, label + " arrival of " + r.extra.stream);
  r.target.kind = kind;
  ArrivalReading inner{r.src, options, e->value, {label, "", of}, r.target, r.extra};
  read_section(section, inner, "in " + label + " of " + r.extra.stream);
}

// One key, the arrival's kind, with its parameters.
const Section<Arrival, ArrivalExtra>& arrival_section() {
  static const Section<Arrival, ArrivalExtra> section(
      "arrival", "`arrival:` of a request stream",
      "How the stream's requests arrive: exactly one of these keys. A rate is NUMBER/s, NUMBER/ms or "
      "NUMBER/min, above 0.",
      {
          {.name = "poisson", .type = ValueType::Rate, .unit = "requests per second", .fallback = "-",
           .read = [](ArrivalReading& r, const ArrivalKey&, const YamlEntry* e) {
             read_rate_arrival(r, Arrival::Kind::Poisson, e);
           },
           .doc = "Arrivals at this rate, with exponential gaps between them (an open loop)."},
          {.name = "constant", .type = ValueType::Rate, .unit = "requests per second", .fallback = "-",
           .read = [](ArrivalReading& r, const ArrivalKey&, const YamlEntry* e) {
             read_rate_arrival(r, Arrival::Kind::Constant, e);
           },
           .doc = "Arrivals at this rate, evenly spaced."},
          {.name = "burst", .type = ValueType::Map, .fallback = "-", .items = "burst",
           .read = [](ArrivalReading& r, const ArrivalKey&, const YamlEntry* e) {
             read_arrival_map(r, Arrival::Kind::Burst, burst_section(), "the bursts of " + r.extra.stream, e);
           },
           .doc = "Requests in bursts."},
          {.name = "closed", .type = ValueType::Map, .fallback = "-", .items = "closed",
           .read = [](ArrivalReading& r, const ArrivalKey&, const YamlEntry* e) {
             read_arrival_map(r, Arrival::Kind::Closed, closed_section(), r.extra.stream, e);
           },
           .doc = "Clients that wait for their responses."},
      });
  return section;
}

Arrival read_arrival(const YamlSource& src, const YAML::Node& node, const std::string& label) {
  const std::string what = "arrival of " + label;
  const auto entries = map_entries(src, node, what);
  if (entries.empty()) src.fail(node, what + " is empty: write one of " + kArrivalForms);
  check_keys(src, entries, arrival_section().names(), "in " + what);
  if (entries.size() > 1)
    src.fail(entries[1].key_node, what + " has one kind: '" + entries[0].key + "' or '" + entries[1].key +
                                      "', not both");
  Arrival a;
  ArrivalExtra extra{label};
  ArrivalReading r{src, entries, node, {what}, a, extra};
  read_rows(arrival_section(), r);
  return a;
}

// ---------------------------------------------------------------------------
// A request type of a stream's mix

using TypeReading = Reading<models::RequestType, std::vector<YAML::Node>>;
using TypeKey = Key<models::RequestType, std::vector<YAML::Node>>;

const Section<models::RequestType, std::vector<YAML::Node>>& request_type_section() {
  static const Section<models::RequestType, std::vector<YAML::Node>> section(
      "a request type", "an item of a request stream's `mix`",
      "One kind of request of a stream (an endpoint), with its share of the arrivals.",
      {
          {.name = kNameKey, .type = ValueType::Identifier, .field = &models::RequestType::name,
           .presence = Presence::Required,
           .doc = "Unique within the stream: requests.STREAM.TYPE.* in metrics."},
          {.name = "weight", .type = ValueType::Number, .field = &models::RequestType::weight, .unit = "share",
           .read = [](TypeReading& r, const TypeKey& key, const YamlEntry* e) {
             const std::string where = r.where(key.name);
             r.target.weight = read_number(r.src, e->value, where);
             if (!(r.target.weight > 0) || !std::isfinite(r.target.weight))
               r.src.fail(e->value, where + " must be above 0 (a share of the requests), got " + e->value.Scalar());
           },
           .doc = "Its share of the stream's requests, above 0: weight / the sum of the weights."},
          {.name = "run", .type = ValueType::Operations, .presence = Presence::Required,
           .needs = ", what serving one request does",
           .read = [](TypeReading& r, const TypeKey&, const YamlEntry* e) { r.extra.push_back(e->value); },
           .doc = "What serving one request of this type does (the endpoint's code)."},
      });
  return section;
}

// `mix: [{name, weight, run}, ...]`: the request types of a stream.
void read_mix(const YamlSource& src, const YAML::Node& node, const std::string& label, StreamItem& out) {
  const auto items = list_items(src, node, "mix of " + label);
  if (items.empty()) src.fail(node, "mix of " + label + " is empty: give it at least one request type");
  DefinedNames names(src, "request type");
  for (const auto& item : items) {
    const auto fields = map_entries(src, item, "a request type");
    const std::string type = item_label(fields, "request type", "a request type in the mix of " + label);
    models::RequestType t;
    TypeReading r{src, fields, item, {type, "", type, "request type"}, t, out.runs};
    read_section(request_type_section(), r, "in " + item_label(fields, "request type", "a request type") + " of " + label);
    names.add(t.name, find_entry(fields, kNameKey)->value);
    out.stream.mix.push_back(std::move(t));
  }
}

// ---------------------------------------------------------------------------
// A request stream

// `run` and `mix` exclude each other: their keys' nodes, when written, for the
// check once the stream is read (its entries are gone by then; nodes stay).
struct StreamExtra {
  StreamItem& item;
  std::optional<YAML::Node> run = std::nullopt;
  std::optional<YAML::Node> mix = std::nullopt;
};
using StreamReading = Reading<models::RequestStream, StreamExtra>;
using StreamKey = Key<models::RequestStream, StreamExtra>;

const Section<models::RequestStream, StreamExtra>& stream_section() {
  using models::RequestStream;
  static const Section<RequestStream, StreamExtra> section(
      "a request stream", "an item of `requests`, at the top level or in a variant",
      "Requests to a server: how they arrive, and what each one does. Threads (`serve: STREAM`) or asyncio "
      "loops (`asyncio: {serve: STREAM}`) serve it, not both; that decides what its requests may do. "
      "Give `run` (one request type, named after the stream) or `mix` (several), not both.",
      {
          {.name = kNameKey, .type = ValueType::Identifier, .field = &RequestStream::name,
           .presence = Presence::Required, .doc = "Unique among the streams: requests.NAME.* in metrics."},
          {.name = "arrival", .type = ValueType::Map, .items = "arrival", .presence = Presence::Required,
           .needs = std::string(", how requests arrive: ") + kArrivalForms,
           .read = [](StreamReading& r, const StreamKey&, const YamlEntry* e) {
             r.target.arrival = read_arrival(r.src, e->value, r.naming.label);
           },
           .doc = "How requests arrive."},
          {.name = "duration", .type = ValueType::Duration, .field = &RequestStream::duration,
           .limits = {.above_zero = true},
           .doc = "Arrivals stop then (closed loop: clients stop sending); the run serves what is left."},
          {.name = "warmup", .type = ValueType::Duration, .field = &RequestStream::warmup,
           .read = [](StreamReading& r, const StreamKey& key, const YamlEntry* e) {
             read_value(r, key, *e);
             if (r.target.warmup >= r.target.duration)
               r.src.fail(e->value, r.where(key.name) + " must be shorter than its duration (" +
                                        format_duration(r.target.duration) +
                                        "): the statistics cover the requests that arrive between the two");
           },
           .doc = "Requests that arrive before it are left out of the statistics; shorter than duration."},
          {.name = "run", .type = ValueType::Operations, .fallback = "-",
           .read = [](StreamReading& r, const StreamKey&, const YamlEntry* e) {
             // One request type, named after its stream.
             r.extra.run.emplace(e->key_node);
             models::RequestType t;
             t.name = r.target.name;
             r.target.mix.push_back(std::move(t));
             r.extra.item.runs.push_back(e->value);
           },
           .doc = "What serving one request does: the stream's one request type."},
          {.name = "mix", .type = ValueType::List, .fallback = "-", .items = "a request type",
           .read = [](StreamReading& r, const StreamKey&, const YamlEntry* e) {
             r.extra.mix.emplace(e->key_node);
             read_mix(r.src, e->value, r.naming.label, r.extra.item);
           },
           .doc = "Several request types, with weights."},
          // The listen backlog and the clients' SYN retransmissions (models/config.h).
          {.name = "backlog", .type = ValueType::Integer, .field = &RequestStream::backlog,
           .limits = {1, kMaxBacklog}, .unit = "connections", .fallback = "no limit",
           .doc = "Connections that arrived and that nobody has taken yet, at most; a connection that finds "
                  "the backlog full is dropped, and its client sends its SYN again later."},
          {.name = "syn_retries", .type = ValueType::Integer, .field = &RequestStream::syn_retries,
           .limits = {0, kMaxSynRetries}, .unit = "retries",
           .doc = "How many times a client sends a dropped SYN again before it gives up."},
          {.name = "syn_timeout", .type = ValueType::Duration, .field = &RequestStream::syn_timeout,
           .limits = {.above_zero = true},
           .doc = "The wait before a client's first SYN retransmission; each next one waits twice as long."},
          // The clients' patience (models/config.h): a timeout, and retries after one.
          {.name = "timeout", .type = ValueType::Duration, .field = &RequestStream::timeout,
           .limits = {.above_zero = true}, .fallback = "none: a client waits however long it takes",
           .doc = "A client stops waiting for its response then; the server is not told."},
          {.name = "retries", .type = ValueType::Integer, .field = &RequestStream::retries,
           .limits = {0, kMaxRetries}, .unit = "retries",
           .read = [](StreamReading& r, const StreamKey& key, const YamlEntry* e) {
             read_value(r, key, *e);
             if (r.target.retries > 0 && r.target.timeout == 0)
               r.src.fail(e->key_node,
                          r.naming.label + " has retries but no timeout: a client retries after its timeout");
           },
           .doc = "How many times a client sends a request again after a timeout; needs `timeout`."},
      });
  return section;
}

StreamItem read_stream(const YamlSource& src, const YAML::Node& item) {
  StreamItem s;
  StreamExtra extra{s};
  s.name_node = read_item(stream_section(), "request stream", src, item, s.stream, extra);
  const std::string label = "request stream '" + s.stream.name + "'";
  if (extra.run && extra.mix)
    src.fail(later(src, *extra.run, *extra.mix),
             label + " has 'run' (one request type) or 'mix' (several), not both");
  if (!extra.run && !extra.mix)
    src.fail(item, label + " needs 'run', what serving one request does, or 'mix', several request types "
                   "with weights");
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

std::vector<SectionDoc> request_docs() {
  return {stream_section().doc(), arrival_section().doc(), burst_section().doc(), closed_section().doc(),
          request_type_section().doc()};
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
