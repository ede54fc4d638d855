#include "loader/scenario_pools.h"

#include <algorithm>
#include <string>
#include <utility>

#include "loader/scenario_program.h"
#include "loader/scenario_threads.h"
#include "loader/unique_names.h"
#include "loader/yaml_values.h"

namespace loader {

namespace {

using models::PoolKind;

// ---------------------------------------------------------------------------
// A resource

const Section<models::ResourceConfig>& resource_section() {
  static const Section<models::ResourceConfig> section(
      "a resource", "an item of `resources`, at the top level or in a variant",
      "Something with a capacity and a FIFO queue: a database with 10 connections, a rate-limited API, a "
      "Celery broker. An `io` on it waits for a free slot first.",
      {
          {.name = kNameKey, .type = ValueType::Identifier, .field = &models::ResourceConfig::name,
           .presence = Presence::Required, .doc = "The resource's name: resources.NAME.* in metrics."},
          {.name = "capacity", .type = ValueType::Integer, .field = &models::ResourceConfig::capacity,
           .limits = {1, 1'000'000}, .unit = "slots", .doc = "How many operations it serves at once."},
      });
  return section;
}

// ---------------------------------------------------------------------------
// A pool

struct PoolKindName {
  const char* name;
  PoolKind kind;
  const char* a_pool;  // "a thread pool": for messages about keys a kind does not take
};
constexpr PoolKindName kPoolKinds[] = {{"process", PoolKind::Process, "a process pool"},
                                       {"thread", PoolKind::Thread, "a thread pool"},
                                       {"interpreter", PoolKind::Interpreter, "an interpreter pool"},
                                       {"celery", PoolKind::Celery, "a celery pool"}};

std::vector<std::string> pool_kind_names() {
  std::vector<std::string> names;
  for (const auto& k : kPoolKinds) names.push_back(k.name);
  return names;
}

std::string a_pool_of_kind(PoolKind kind) {
  for (const auto& k : kPoolKinds)
    if (k.kind == kind) return k.a_pool;
  return {};
}

struct PoolExtra {
  std::int64_t max_core = 0;
  const std::vector<models::ResourceConfig>* resources = nullptr;
};
using PoolReading = Reading<models::PoolConfig, PoolExtra>;
using PoolKey = Key<models::PoolConfig, PoolExtra>;

void read_kind(PoolReading& r, const PoolKey& key, const YamlEntry* e) {
  const std::string kind = read_string(r.src, e->value, r.where(key.name));
  for (const auto& k : kPoolKinds)
    if (kind == k.name) {
      r.target.kind = k.kind;
      return;
    }
  r.src.fail(e->value, "pool kind is " + join_words(pool_kind_names(), " or ") + ", got '" + kind + "'");
}

void read_pool_start_method(PoolReading& r, const PoolKey& key, const YamlEntry* e) {
  const PoolKind kind = r.target.kind;
  if (kind != PoolKind::Process)
    r.src.fail(e->key_node, "start_method applies to process pools; " + r.naming.label + " is " +
                                a_pool_of_kind(kind) +
                                (kind == PoolKind::Celery
                                     ? " (its workers are started before the run, by the Celery command)"
                                     : ""));
  r.target.start_method = read_start_method(r.src, e->value, r.where(key.name));
}

// The keys of a Celery pool alone: its broker and the costs of talking to it.
void celery_only(const PoolReading& r, const PoolKey& key, const YamlEntry* e) {
  if (r.target.kind != PoolKind::Celery)
    r.src.fail(e->key_node, std::string(key.name) + " applies to celery pools; " + r.naming.label + " is " +
                                a_pool_of_kind(r.target.kind));
}

void read_celery_cost(PoolReading& r, const PoolKey& key, const YamlEntry* e) {
  celery_only(r, key, e);
  read_value(r, key, *e);
}

// `broker: RESOURCE`, checked against `resources` unless that is null.
void read_broker(PoolReading& r, const PoolKey& key, const YamlEntry* e) {
  celery_only(r, key, e);
  models::PoolConfig& p = r.target;
  p.broker = read_identifier(r.src, e->value, r.where(key.name));
  if (!r.extra.resources) return;
  std::vector<std::string> names;
  for (const auto& resource : *r.extra.resources) names.push_back(resource.name);
  const auto it = std::find(names.begin(), names.end(), p.broker);
  if (it == names.end())
    fail_unknown(r.src, e->value, "resource", p.broker, names, "resources", "{name: " + p.broker + ", capacity: 100}");
  p.broker_index = static_cast<std::uint32_t>(it - names.begin());
}

std::string pool_startups() {
  return "by kind: process pools " + startup_by_start_method() + "; interpreter pools " +
         format_duration(models::default_interpreter_startup()) + "; thread and celery pools none";
}

const Section<models::PoolConfig, PoolExtra>& pool_section() {
  // A round trip and a polling interval of 0 would make a free broker and a
  // busy loop; publishing may be free.
  static const Section<models::PoolConfig, PoolExtra> section(
      "a pool", "an item of `pools`, at the top level or in a variant",
      "An executor made when the program starts (the `with` block's), alive until the end of the run, to "
      "which `submit`, `map` and `to_thread` send work; or Celery-like worker processes behind a broker. "
      "Its workers are threads named POOL_0, POOL_1, ...; a process pool also has POOL_feeder and "
      "POOL_results in the main process.",
      {
          {.name = kNameKey, .type = ValueType::Identifier, .field = &models::PoolConfig::name,
           .presence = Presence::Required, .doc = "The pool's name: pools.NAME.* in metrics."},
          {.name = "kind", .type = ValueType::Word, .choices = join_words(pool_kind_names(), " | ", " | "),
           .presence = Presence::Required, .needs = ": " + join_words(pool_kind_names(), " or "),
           .read = read_kind,
           .doc = "process: ProcessPoolExecutor or multiprocessing.Pool; thread: ThreadPoolExecutor; "
                  "interpreter: InterpreterPoolExecutor (3.14), a sub-interpreter per worker; celery: "
                  "Celery-like worker processes, started before the run, that take jobs from a broker."},
          {.name = "workers", .type = ValueType::Integer, .field = &models::PoolConfig::workers,
           .limits = {1, kMaxThreads}, .unit = "workers", .doc = "How many workers run its work at once."},
          {.name = "start_method", .type = ValueType::Word,
           .fallback = start_method_name(models::PoolConfig{}.start_method), .choices = start_method_choices(),
           .read = read_pool_start_method,
           .doc = "Process pools only: how the worker processes are started. Python before 3.4 only forks."},
          {.name = "startup", .type = ValueType::Duration, .field = &models::PoolConfig::startup,
           .fallback = pool_startups(), .doc = "Each worker's start-up before it takes work."},
          {.name = "start_interval", .type = ValueType::Duration, .field = &models::PoolConfig::start_interval,
           .fallback = "process pools " + start_interval_by_start_method() + "; other pools 0",
           .doc = "Process pools: the parent's share of each worker's Process.start() (Pool's _repopulate_pool), "
                  "booked like a child process's (`processes`, `start_interval`), after the children's starts."},
          {.name = "cores", .type = ValueType::Cores, .fallback = "every core",
           .read = [](PoolReading& r, const PoolKey&, const YamlEntry* e) {
             r.target.cores = read_cores(r.src, e->value, r.naming.label, "a pool's worker", r.extra.max_core);
           },
           .doc = "The cores its workers may run on, numbered from 0."},
          {.name = "broker", .type = ValueType::Identifier, .fallback = "required for celery pools",
           .read = read_broker,
           .doc = "Celery pools only: the resource that is the broker and result backend."},
          {.name = "broker_latency", .type = ValueType::Duration, .field = &models::PoolConfig::broker_latency,
           .limits = {.above_zero = true}, .fallback = format_duration(models::default_broker_latency()),
           .read = read_celery_cost, .doc = "Celery pools only: one round trip to the broker."},
          {.name = "poll_interval", .type = ValueType::Duration, .field = &models::PoolConfig::poll_interval,
           .limits = {.above_zero = true}, .fallback = format_duration(models::default_poll_interval()),
           .read = read_celery_cost,
           .doc = "Celery pools only: how often an asyncio task that awaits a result asks for it."},
          {.name = "publish_cost", .type = ValueType::Duration, .field = &models::PoolConfig::publish_cost,
           .fallback = format_duration(models::default_publish_cost()), .read = read_celery_cost,
           .doc = "Celery pools only: CPU time of apply_async in the caller, before the round trip."},
      });
  return section;
}

}  // namespace

std::vector<models::ResourceConfig> read_resources(const YamlSource& src, const YAML::Node& node) {
  std::vector<models::ResourceConfig> out;
  DefinedNames names(src, "resource");
  for (const auto& item : list_items(src, node, "resources")) {
    models::ResourceConfig resource;
    NoExtra none;
    const YAML::Node name = read_item(resource_section(), "resource", src, item, resource, none);
    names.add(resource.name, name);
    out.push_back(std::move(resource));
  }
  return out;
}

std::vector<models::PoolConfig> read_pools(const YamlSource& src, const YAML::Node& node, int machine_cores,
                                           const std::vector<models::ResourceConfig>* resources) {
  std::vector<models::PoolConfig> out;
  DefinedNames names(src, "pool");
  for (const auto& item : list_items(src, node, "pools")) {
    models::PoolConfig p;
    PoolExtra extra{machine_cores - 1, resources};
    const YAML::Node name = read_item(pool_section(), "pool", src, item, p, extra);
    names.add(p.name, name);
    if (p.kind == PoolKind::Celery && p.broker.empty())
      src.fail(item, "celery pool '" + p.name + "' needs 'broker': the resource that is its broker and result "
                     "backend, e.g. broker: redis with resources: [{name: redis, capacity: 100}]");
    out.push_back(std::move(p));
  }
  return out;
}

std::vector<SectionDoc> pool_docs() { return {pool_section().doc(), resource_section().doc()}; }

}  // namespace loader
