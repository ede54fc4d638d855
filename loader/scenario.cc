#include "loader/scenario.h"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>

#include "loader/scenario_config.h"
#include "loader/scenario_merge.h"
#include "loader/sweep_spec.h"
#include "loader/yaml_source.h"
#include "loader/yaml_values.h"
#include "models/metrics.h"

namespace loader {

namespace {

const std::vector<std::string> kTopKeys = {"name",      "description", "claim",     "seed",    "machine",
                                           "runtime",   "pools",       "resources", "threads", "processes",
                                           "variants",  "expect",      "figures",   "time_limit", "requests",
                                            "sweep"};
// In the contract (scenario-format.md), not simulated yet: none at the moment.
const std::vector<std::string> kNotModelledKeys = {};

bool contains(const std::vector<std::string>& v, const std::string& s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

void reject_not_modelled(const YamlSource& src, const std::vector<YamlEntry>& entries) {
  for (const auto& e : entries)
    if (contains(kNotModelledKeys, e.key))
      src.fail(e.key_node, "'" + e.key +
                               "' is not modelled yet: gilsim simulates threads and processes "
                               "for now");
}

// ---------------------------------------------------------------------------
// The scenario's own keys

std::string read_name(const YamlSource& src, const YAML::Node& root,
                      const std::vector<YamlEntry>& entries) {
  const YamlEntry* e = find_entry(entries, "name");
  if (!e) src.fail(root, "missing 'name': every scenario has one, like 'name: c2-cpu-threads'");
  const std::string name = read_string(src, e->value, "name");
  if (!std::regex_match(name, std::regex("[a-z0-9-]+")))
    src.fail(e->value, "scenario name '" + name + "' may use only a-z, 0-9 and '-'");
  return name;
}

std::string read_claim(const YamlSource& src, const YAML::Node& node) {
  const std::string claim = read_string(src, node, "claim");
  if (!std::regex_match(claim, std::regex("C[0-9]+")))
    src.fail(node, "claim '" + claim + "' must be written like C2: 'C' and the claim's number");
  return claim;
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

void check_variant_keys(const YamlSource& src, const std::vector<YamlEntry>& entries,
                        const std::string& variant) {
  reject_not_modelled(src, entries);
  for (const auto& e : entries)
    if (contains(kTopKeys, e.key) && !contains(setting_keys(), e.key))
      src.fail(e.key_node, "'" + e.key +
                               "' cannot be set in a variant: a variant sets machine, "
                               "runtime, pools, resources, threads, processes, requests and time_limit");
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

Variant make_variant(const YamlSource& src, const VariantSettings& v, const YAML::Node& root) {
  Variant out;
  out.name = v.name;
  out.config = read_settings(src, v.settings, true, &out.plan);
  if (out.config.threads.empty() && out.config.processes.empty()) {
    if (!v.written) src.fail(root, "missing 'threads': a scenario needs at least one thread (or 'processes')");
    src.fail(v.name_node, "variant '" + v.name +
                              "' has no threads: give it 'threads', or set them at the top level");
  }
  return out;
}

// ---------------------------------------------------------------------------
// Expressions: `expect` and `figures`

// The names each variant's run will report, to check paths before running.
class MetricCatalog {
 public:
  explicit MetricCatalog(const std::vector<Variant>& variants) {
    for (const auto& v : variants) {
      names_.push_back(v.name);
      metrics_.push_back(v.plan->metric_names());
    }
  }

  // Every VARIANT.METRIC path of `e` must name a variant and one of its
  // metrics; errors point at the path (or at its metric part).
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
      const auto& metrics = metrics_[v - names_.begin()];
      if (std::find(metrics.begin(), metrics.end(), metric) == metrics.end()) {
        SourcePos at = p.pos;
        at.column += static_cast<int>(dot) + 1;
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

  std::vector<std::string> names_;
  std::vector<std::vector<std::string>> metrics_;
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

std::vector<Figure> read_figures(const YamlSource& src, const YamlEntry* entry,
                                 const MetricCatalog& catalog) {
  std::vector<Figure> out;
  if (!entry || entry->value.IsNull()) return out;
  for (const auto& item : list_items(src, entry->value, "figures")) {
    const auto fields = map_entries(src, item, "a figure");
    check_keys(src, fields, {"label", "expr"}, "in a figure");
    const YamlEntry* label = find_entry(fields, "label");
    const YamlEntry* expr = find_entry(fields, "expr");
    if (!label || !expr) src.fail(item, "a figure needs 'label' and 'expr'");
    Expr e = parse_expression(src, expr->value, "figures", catalog);
    out.push_back(Figure{read_string(src, label->value, "label"), expression_text(expr->value),
                         src.text_start(expr->value), std::move(e)});
  }
  return out;
}

}  // namespace

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
  reject_not_modelled(src, entries);
  check_keys(src, entries, kTopKeys, "at the top level");

  Scenario s;
  s.file = file_name;
  s.name = read_name(src, root, entries);
  if (const auto* e = find_entry(entries, "description"))
    s.description = read_string(src, e->value, "description");
  if (const auto* e = find_entry(entries, "claim")) s.claim = read_claim(src, e->value);
  if (const auto* e = find_entry(entries, "seed"))
    s.seed = static_cast<std::uint64_t>(read_int(src, e->value, "seed", 0, INT64_MAX));
  if (options.override_seed) s.seed = options.seed;
  if (const auto* e = find_entry(entries, "sweep")) s.sweep = read_sweep(src, e->value);

  const YAML::Node settings = top_settings(entries);
  const YamlEntry* variants = find_entry(entries, "variants");
  // With variants, the top level's settings are checked on their own too:
  // a mistake there is reported even when every variant overrides it. Only
  // the pools and resources its threads name may be left to the variants.
  if (variants) read_settings(src, settings, /*check_names=*/false);
  for (const auto& v : read_variants(src, variants, settings)) {
    s.variants.push_back(make_variant(src, v, root));
    s.variants.back().config.seed = s.seed;
  }

  const MetricCatalog catalog(s.variants);
  s.expect = read_expect(src, find_entry(entries, "expect"), catalog);
  s.figures = read_figures(src, find_entry(entries, "figures"), catalog);
  return s;
}

Scenario load_scenario_file(const std::string& path, const LoadOptions& options) {
  // No place in a file to point at: the message names the file instead.
  auto cannot_read = [&](const std::string& reason) {
    return InputError(SourcePos{}, "cannot read " + path + ": " + reason);
  };
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) throw cannot_read("it is a directory");
  std::ifstream in(path, std::ios::binary);
  if (!in) throw cannot_read(std::strerror(errno));
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) throw cannot_read(std::strerror(errno));
  return load_scenario_text(text.str(), path, options);
}

}  // namespace loader
