#include "loader/scenario.h"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <limits>
#include <optional>
#include <sstream>

#include "loader/scenario_config.h"
#include "loader/scenario_merge.h"
#include "loader/schema.h"
#include "loader/sweep_spec.h"
#include "loader/yaml_source.h"
#include "loader/yaml_values.h"
#include "models/metrics.h"
#include "models/operation_count.h"
#include "models/python_versions.h"
#include "models/setting_values.h"

namespace loader {

namespace {

bool contains(const std::vector<std::string>& v, const std::string& s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

// ---------------------------------------------------------------------------
// Variants

// Each variant's settings: the top level's, with the variant's written over.
struct VariantSettings {
  std::string name;
  bool written = true;   // false for the one "main" of a file without `variants`
  YAML::Node name_node;  // the variant's name in `variants`, when written
  YAML::Node settings;
};

// The scenario's own keys: its table, below, reads the variants.
const std::vector<std::string>& scenario_keys();

void check_variant_keys(const YamlSource& src, const std::vector<YamlEntry>& entries,
                        const std::string& variant) {
  for (const auto& e : entries)
    if (contains(scenario_keys(), e.key))
      src.fail(e.key_node, "'" + e.key + "' cannot be set in a variant: a variant sets " +
                               join_words(setting_keys(), " and "));
  check_keys(src, entries, setting_keys(), "in variant '" + variant + "'");
}

std::vector<VariantSettings> read_variants(const YamlSource& src, const YamlEntry* variants,
                                           const YAML::Node& top_settings) {
  if (!variants) return {VariantSettings{"main", false, YAML::Node(), top_settings}};
  const auto entries = map_entries(src, variants->value, "variants");
  if (entries.empty())
    src.fail(variants->value.IsNull() ? variants->key_node : variants->value,
             "variants is empty: name at least one, or remove it for one variant named 'main'");
  std::vector<VariantSettings> out;
  for (const auto& e : entries) {
    const std::string name = read_identifier(src, e.key_node, "variant name");
    const auto overrides = map_entries(src, e.value, "variant '" + name + "'");
    check_variant_keys(src, overrides, name);
    out.push_back(
        VariantSettings{name, true, e.key_node, merge_settings(src, top_settings, e.value)});
  }
  return out;
}

// The settings keys of the top level, as a map of the original nodes.
YAML::Node top_settings(const std::vector<YamlEntry>& entries) {
  YAML::Node settings(YAML::NodeType::Map);
  for (const auto& e : entries)
    if (contains(setting_keys(), e.key)) settings.force_insert(e.key_node, e.value);
  return settings;
}

// A variant whose work is beyond `most` operations is refused before it
// runs (and before `check` calls it valid): the error points at its threads.
void check_operation_count(const YamlSource& src, const VariantSettings& v,
                           const models::SimulationConfig& config, std::uint64_t most) {
  const std::uint64_t n = models::operation_count(config);
  if (n <= most) return;
  const YAML::Node& settings = v.settings;
  YAML::Node at = settings["threads"];
  if (!at.IsDefined()) at = settings["processes"];
  if (!at.IsDefined()) at = settings["requests"];
  const std::string count =
      n == std::numeric_limits<std::uint64_t>::max() ? "more than 18446744073709551615" : std::to_string(n);
  src.fail(at.IsDefined() ? at : v.name_node,
           (v.written ? "variant '" + v.name + "'" : std::string("the scenario")) + " would run " + count +
               " operations (loops multiplied out, times threads, processes, tasks and requests), more than "
               "the cap of " + std::to_string(most) +
               ": a run of that size takes hours; make 'repeat' or 'count' smaller, or raise the cap with "
               "--max-operations N");
}

// Before 3.4 multiprocessing only forks on POSIX (Lib/multiprocessing/forking.py:
// Popen calls os.fork()); start methods came with 3.4 (get_context,
// set_start_method). A variant of 2.x or 3.0-3.3 with spawn or forkserver is
// refused at the first start_method that says so.
void check_start_methods(const YamlSource& src, const VariantSettings& v, const models::SimulationConfig& config,
                         const YAML::Node& root) {
  const models::PythonVersion* version = models::find_python_version(config.runtime.python);
  if (!version || version->major > 3 || (version->major == 3 && version->minor >= 4)) return;
  auto forks = [](models::StartMethod m) { return m == models::StartMethod::Fork; };
  bool all_fork = true;
  for (const auto& p : config.processes) all_fork = all_fork && forks(p.start_method);
  for (const auto& p : config.pools)
    all_fork = all_fork && (p.kind != models::PoolKind::Process || forks(p.start_method));
  if (all_fork) return;
  YAML::Node at;
  for (const char* list : {"processes", "pools"}) {
    const YAML::Node items = v.settings[list];
    if (!items.IsDefined() || !items.IsSequence()) continue;
    for (const auto& item : items) {
      if (!item.IsMap() || !item["start_method"].IsDefined()) continue;
      const YAML::Node m = item["start_method"];
      if (m.IsScalar() && m.Scalar() != "fork") {
        at = m;
        break;
      }
    }
    if (at.IsDefined()) break;
  }
  // (A start method other than fork is always written in a start_method; the
  // variant, or the file's top, is only a fallback.)
  src.fail(at.IsDefined() ? at : v.written ? v.name_node : root,
           "start_method " + (at.IsDefined() ? "'" + at.Scalar() + "' " : std::string("spawn or forkserver ")) +
               "needs Python 3.4 or later: Python " + config.runtime.python +
               "'s multiprocessing only forks (start methods came in 3.4)");
}

Variant make_variant(const YamlSource& src, const VariantSettings& v, const YAML::Node& root,
                     std::uint64_t max_operations) {
  Variant out;
  out.name = v.name;
  out.config = read_settings(src, v.settings, true, &out.plan);
  if (out.config.threads.empty() && out.config.processes.empty()) {
    if (!v.written) src.fail(root, "missing 'threads': a scenario needs at least one thread (or 'processes')");
    src.fail(v.name_node, "variant '" + v.name +
                              "' has no threads: give it 'threads', or set them at the top level");
  }
  check_start_methods(src, v, out.config, root);
  check_operation_count(src, v, out.config, max_operations);
  return out;
}

// ---------------------------------------------------------------------------
// Expressions: `expect` and `figures`

// The names each variant's run will report, to check paths before running.
// A variant's names are listed when a path first asks for them: a scenario
// without `expect` or `figures` (every point of a sweep, as a rule) never
// pays for them, which per point cost more than the point's run itself.
class MetricCatalog {
 public:
  explicit MetricCatalog(const std::vector<Variant>& variants) : variants_(variants) {
    for (const auto& v : variants) names_.push_back(v.name);
    metrics_.resize(variants.size());
  }

  // Every VARIANT.METRIC path of `e` must name a variant and one of its
  // metrics, or one of the settings a run's costs are read by
  // (VARIANT.machine.KEY, VARIANT.runtime.KEY; models/setting_values.h);
  // errors point at the path (or at its metric part).
  void check(const YamlSource& src, const Expr& e, const std::string& in) const {
    for (const auto& p : e.located_paths()) {
      const std::size_t dot = p.path.find('.');
      const std::string variant = p.path.substr(0, dot);
      const std::string metric = p.path.substr(dot + 1);
      const auto v = std::find(names_.begin(), names_.end(), variant);
      if (v == names_.end()) {
        src.fail(p.pos, "unknown variant '" + variant + "' in " + in +
                            hint(variant, names_, "; the variants are: "));
      }
      // Errors point at the metric part, after the variant's name and its dot.
      SourcePos at = p.pos;
      at.column += static_cast<int>(dot) + 1;
      if (models::is_setting_path(metric)) {
        const auto& settings = models::setting_names();
        if (std::find(settings.begin(), settings.end(), metric) == settings.end()) {
          src.fail(at, "unknown setting '" + metric + "' of variant '" + variant + "'" +
                           hint(metric, settings,
                                "; expressions read numeric settings like machine.timer_slack, "
                                "runtime.process_startup.fork; for example: "));
        }
        continue;
      }
      const auto& metrics = metrics_of(static_cast<std::size_t>(v - names_.begin()));
      if (std::find(metrics.begin(), metrics.end(), metric) == metrics.end()) {
        src.fail(at, "unknown metric '" + metric + "' of variant '" + variant + "'" +
                         hint(metric, metrics,
                              "; metrics are like wall, gil.handoffs, "
                              "threads.NAME.cpu; for example: "));
      }
    }
  }

 private:
  // "; did you mean 'x'?", or the list of what there is (the first few).
  static std::string hint(const std::string& word, const std::vector<std::string>& candidates,
                          const std::string& otherwise) {
    const std::string close = closest_match(word, candidates);
    if (!close.empty()) return "; did you mean '" + close + "'?";
    std::string list;
    for (std::size_t i = 0; i < candidates.size() && i < 8; ++i)
      list += (i ? ", " : "") + candidates[i];
    return otherwise + list + (candidates.size() > 8 ? ", ..." : "");
  }

  const std::vector<std::string>& metrics_of(std::size_t variant) const {
    auto& m = metrics_[variant];
    if (!m) m = variants_[variant].plan->metric_names();
    return *m;
  }

  const std::vector<Variant>& variants_;
  std::vector<std::string> names_;
  mutable std::vector<std::optional<std::vector<std::string>>> metrics_;
};

// An expression's text as the user wrote it, for messages: a block scalar
// (`>`) keeps a final newline that would only get in the way.
std::string expression_text(const YAML::Node& node) {
  std::string text = node.Scalar();
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.pop_back();
  return text;
}

Expr parse_expression(const YamlSource& src, const YAML::Node& node, const std::string& in,
                      const MetricCatalog& catalog) {
  if (!node.IsScalar()) {
    std::string message = "expected an expression in " + in + ", got " + describe(node);
    if (node.IsMap()) message += " (quote an expression that contains ': ')";
    src.fail(node, message);
  }
  const SourcePos start = src.text_start(node);
  Expr e = Expr::parse(node.Scalar(), start, src.line(start.line));
  catalog.check(src, e, in);
  return e;
}

std::vector<Expectation> read_expect(const YamlSource& src, const YamlEntry* entry,
                                     const MetricCatalog& catalog) {
  std::vector<Expectation> out;
  if (!entry || entry->value.IsNull()) return out;
  for (const auto& item : list_items(src, entry->value, "expect")) {
    Expr e = parse_expression(src, item, "expect", catalog);
    out.push_back(Expectation{expression_text(item), src.text_start(item), std::move(e)});
  }
  return out;
}

// ---------------------------------------------------------------------------
// A figure

using FigureReading = Reading<Figure, const MetricCatalog>;
using FigureKey = Key<Figure, const MetricCatalog>;

const Section<Figure, const MetricCatalog>& figure_section() {
  static const Section<Figure, const MetricCatalog> section(
      "a figure", "an item of `figures`",
      "A labelled value the summary and the claims table print, computed from the runs' metrics like "
      "an expectation.",
      {
          {.name = "label", .type = ValueType::Text, .field = &Figure::label, .presence = Presence::Required,
           .needs = ", the text that names it", .doc = "What the value is, as the summary shows it."},
          {.name = "expr", .type = ValueType::Expression, .presence = Presence::Required,
           .needs = ", the expression it shows",
           .read = [](FigureReading& r, const FigureKey&, const YamlEntry* e) {
             r.target.expr = parse_expression(r.src, e->value, "figures", r.extra);
             r.target.text = expression_text(e->value);
             r.target.pos = r.src.text_start(e->value);
           },
           .doc = "An expression of VARIANT.METRIC paths, like sequential.wall / threads.wall."},
      });
  return section;
}

std::vector<Figure> read_figures(const YamlSource& src, const YamlEntry* entry,
                                 const MetricCatalog& catalog) {
  std::vector<Figure> out;
  if (!entry || entry->value.IsNull()) return out;
  for (const auto& item : list_items(src, entry->value, "figures")) {
    const auto fields = map_entries(src, item, "a figure");
    Figure f;
    FigureReading r{src, fields, item, {"a figure"}, f, catalog};
    read_section(figure_section(), r, "in a figure");
    out.push_back(std::move(f));
  }
  return out;
}

// ---------------------------------------------------------------------------
// The scenario's own keys

struct ScenarioExtra {
  const YAML::Node& root;
  const std::vector<YamlEntry>& entries;  // the top level's, settings included
  const LoadOptions& options;
  std::optional<MetricCatalog> catalog;   // once the variants are read
};
using ScenarioReading = Reading<Scenario, ScenarioExtra>;
using ScenarioKey = Key<Scenario, ScenarioExtra>;

// Hand loops, not std::regex: libstdc++'s regex_match recurses once per
// character and overflows the stack on a name of some 20,000 characters.
bool is_scenario_name(const std::string& s) {
  if (s.empty()) return false;
  for (const char c : s)
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) return false;
  return true;
}

bool is_claim_label(const std::string& s) {  // C[0-9]+
  if (s.size() < 2 || s[0] != 'C') return false;
  for (std::size_t i = 1; i < s.size(); ++i)
    if (s[i] < '0' || s[i] > '9') return false;
  return true;
}

void read_name(ScenarioReading& r, const ScenarioKey& key, const YamlEntry* e) {
  if (!e) r.src.fail(r.at, "missing 'name': every scenario has one, like 'name: c2-cpu-threads'");
  const std::string name = read_string(r.src, e->value, key.name);
  if (!is_scenario_name(name))
    r.src.fail(e->value, "scenario name '" + name + "' may use only a-z, 0-9 and '-'");
  r.target.name = name;
}

void read_claim(ScenarioReading& r, const ScenarioKey& key, const YamlEntry* e) {
  const std::string claim = read_string(r.src, e->value, key.name);
  if (!is_claim_label(claim))
    r.src.fail(e->value, "claim '" + claim + "' must be written like C2: 'C' and the claim's number");
  r.target.claim = claim;
}

void read_variants_key(ScenarioReading& r, const ScenarioKey&, const YamlEntry* variants) {
  YAML::Node settings = top_settings(r.extra.entries);
  // A profile's costs go under the file's own settings: the file wins.
  if (r.extra.options.profile) settings = merge_settings(r.src, r.extra.options.profile->settings, settings);
  // With variants, the top level's settings are checked on their own too:
  // a mistake there is reported even when every variant overrides it. Only
  // the pools and resources its threads name may be left to the variants.
  if (variants) read_settings(r.src, settings, /*check_names=*/false);
  for (const auto& v : read_variants(r.src, variants, settings))
    r.target.variants.push_back(make_variant(r.src, v, r.extra.root, r.extra.options.max_operations));
  r.extra.catalog.emplace(r.target.variants);
}

// Read in this order: the expressions name the variants' metrics.
const Section<Scenario, ScenarioExtra>& scenario_section() {
  static const Section<Scenario, ScenarioExtra> section(
      "the scenario", "the top level",
      "A scenario file is one YAML map: these keys, and the settings (below), which its variants may "
      "change.",
      {
          {.name = kNameKey, .type = ValueType::Text, .fallback = "required", .presence = Presence::Always,
           .read = read_name, .doc = "The scenario's name: a-z, 0-9 and '-', like c2-cpu-bound-threads."},
          {.name = "description", .type = ValueType::Text, .field = &Scenario::description,
           .doc = "What the scenario shows, in a sentence."},
          {.name = "claim", .type = ValueType::Text, .field = &Scenario::claim, .read = read_claim,
           .doc = "The claim of the claims table it checks, written like C2."},
          {.name = "seed", .type = ValueType::Integer, .field = &Scenario::seed, .limits = {0},
           .doc = "The seed of every random draw of every variant; `--seed` replaces it."},
          {.name = "sweep", .type = ValueType::Map, .fallback = "none", .items = "sweep",
           .read = [](ScenarioReading& r, const ScenarioKey&, const YamlEntry* e) {
             if (!r.extra.options.skip_sweep) r.target.sweep = read_sweep(r.src, e->value);
           },
           .doc = "What `gilsim sweep` varies; `run` checks it and leaves it aside."},
          {.name = "variants", .type = ValueType::Map, .fallback = "one variant, named main",
           .presence = Presence::Always,
           .read = read_variants_key,
           .doc = "Variants of the program by name, each a map of settings written over the top level's; "
                  "they run one after the other, in file order."},
          {.name = "expect", .type = ValueType::List, .fallback = "none", .items = "expressions",
           .read = [](ScenarioReading& r, const ScenarioKey&, const YamlEntry* e) {
             r.target.expect = read_expect(r.src, e, *r.extra.catalog);
           },
           .doc = "Expectations that must hold once every variant has run: comparisons of VARIANT.METRIC "
                  "paths, like threads.wall >= 0.98 * sequential.wall, and of the costs the variant ran "
                  "with (VARIANT.machine.KEY, VARIANT.runtime.KEY), like main.runtime.switch_interval."},
          {.name = "figures", .type = ValueType::List, .fallback = "none", .items = "a figure",
           .read = [](ScenarioReading& r, const ScenarioKey&, const YamlEntry* e) {
             r.target.figures = read_figures(r.src, e, *r.extra.catalog);
           },
           .doc = "Labelled values for the summary and the claims table."},
      });
  return section;
}

const std::vector<std::string>& scenario_keys() { return scenario_section().names(); }

// The keys of the top level: the scenario's own, then the settings.
const std::vector<std::string>& top_keys() {
  static const std::vector<std::string> keys = [] {
    std::vector<std::string> v = scenario_keys();
    v.insert(v.end(), setting_keys().begin(), setting_keys().end());
    return v;
  }();
  return keys;
}

}  // namespace

std::vector<SectionDoc> scenario_docs() { return {scenario_section().doc(), figure_section().doc()}; }

Scenario load_scenario_text(const std::string& text, const std::string& file_name,
                            const LoadOptions& options) {
  const YamlSource src(file_name, text);
  return load_scenario_tree(src, src.parse(), options);
}

Scenario load_scenario_tree(const YamlSource& src, const YAML::Node& root,
                            const LoadOptions& options) {
  const std::string& file_name = src.file();
  if (root.IsNull())
    src.fail(SourcePos{file_name, 0, 0},
             "the file is empty: a scenario needs 'name' and 'threads'");
  if (!root.IsMap())
    src.fail(root, "a scenario is a map of keys (name, threads, ...), got " + describe(root));
  const auto entries = map_entries(src, root, "the scenario");
  check_keys(src, entries, top_keys(), "at the top level");

  Scenario s;
  s.file = file_name;
  ScenarioExtra extra{root, entries, options, std::nullopt};
  ScenarioReading r{src, entries, root, {"the scenario"}, s, extra};
  read_rows(scenario_section(), r);
  if (options.override_seed) s.seed = options.seed;
  if (options.profile) s.profile = options.profile->name;
  for (auto& v : s.variants) v.config.seed = s.seed;
  return s;
}

Scenario load_scenario_file(const std::string& path, const LoadOptions& options) {
  return load_scenario_text(read_text_file(path, ""), path, options);
}

}  // namespace loader
