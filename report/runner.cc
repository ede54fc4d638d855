#include "report/runner.h"

#include "models/config.h"
#include "models/setting_values.h"

#include <algorithm>
#include <stdexcept>

#include "sim/chrome_trace.h"
#include "sim/svg_timeline.h"
#include "models/trace_styles.h"
#include "sim/trace_window.h"

namespace report {

namespace {

const VariantRun* find_run(const std::vector<VariantRun>& runs, const std::string& name) {
  for (const auto& r : runs)
    if (r.name == name) return &r;
  return nullptr;
}

// The first variant an expression reads that did not run, or empty.
std::string missing_variant(const loader::Expr& expr, const std::vector<VariantRun>& runs) {
  for (const auto& path : expr.paths()) {
    auto variant = split_path(path).first;
    if (!find_run(runs, variant)) return variant;
  }
  return {};
}

// The value of "VARIANT.METRIC" in the runs. The loader checked every path
// against the metric names of its variant, so a missing one is a model that
// did not report what metric_names() promised: a bug, not bad input.
double lookup(const std::vector<VariantRun>& runs, const std::string& path) {
  auto [variant, metric] = split_path(path);
  const VariantRun* run = find_run(runs, variant);
  if (!run) throw std::logic_error("expression reads variant '" + variant + "' that did not run");
  if (models::is_setting_path(metric)) {
    auto s = run->settings.find(metric);
    if (s == run->settings.end())
      throw std::logic_error("the run of variant '" + variant + "' did not keep setting '" + metric + "'");
    return s->second;
  }
  auto it = run->result.metrics.find(metric);
  if (it == run->result.metrics.end())
    throw std::logic_error("the run of variant '" + variant + "' did not report metric '" +
                           metric + "'");
  return it->second;
}

// The value of every path an expression reads, in order of first appearance:
// what a failed expectation is reported with.
std::vector<std::pair<std::string, double>> values_read(const loader::Expr& expr,
                                                         const std::vector<VariantRun>& runs) {
  std::vector<std::pair<std::string, double>> values;
  for (const auto& path : expr.paths()) {
    bool known = std::any_of(values.begin(), values.end(),
                             [&](const auto& p) { return p.first == path; });
    if (!known) values.emplace_back(path, lookup(runs, path));
  }
  return values;
}

double evaluate(const loader::Expr& expr, const std::vector<VariantRun>& runs) {
  return expr.evaluate([&](const std::string& path) { return lookup(runs, path); });
}

ExpectationResult check(const loader::Expectation& e, const std::vector<VariantRun>& runs) {
  ExpectationResult r;
  r.text = e.text;
  r.skipped_variant = missing_variant(e.expr, runs);
  if (!r.skipped_variant.empty()) {
    r.verdict = Verdict::Skipped;
    return r;
  }
  // A comparison gives 1 or 0; a bare number holds when non-zero, and NaN
  // (0/0) never holds.
  r.values = values_read(e.expr, runs);
  double v = evaluate(e.expr, runs);
  r.verdict = (v != 0 && v == v) ? Verdict::Holds : Verdict::Fails;
  return r;
}

FigureResult measure(const loader::Figure& f, const std::vector<VariantRun>& runs) {
  FigureResult r;
  r.label = f.label;
  r.text = f.text;
  if (missing_variant(f.expr, runs).empty()) r.value = evaluate(f.expr, runs);
  return r;
}

// The runs of one variant as one: each metric's mean (which the
// expectations read) and 95 % interval; stopped at the time limit if any was.
void summarise_replications(VariantRun& run, const std::vector<models::RunResult>& replications) {
  run.result = replications.front();
  for (auto& [name, value] : run.result.metrics) {
    std::vector<double> samples;
    for (const auto& r : replications) {
      auto it = r.metrics.find(name);
      if (it == r.metrics.end())
        throw std::logic_error("a replication of variant '" + run.name + "' did not report metric '" + name + "'");
      samples.push_back(it->second);
    }
    const MeanInterval m = mean_ci95(samples);
    value = m.mean;
    run.intervals.emplace(name, m);
  }
  for (const auto& r : replications) run.result.hit_time_limit = run.result.hit_time_limit || r.hit_time_limit;
}

// A sink that owns the sinks its front writes to: a tee's two files, a
// window's one.
class OwningSink final : public sim::TraceSink {
 public:
  using Front = std::function<std::unique_ptr<sim::TraceSink>(const std::vector<sim::TraceSink*>&)>;
  OwningSink(std::vector<std::unique_ptr<sim::TraceSink>> owned, const Front& front) : owned_(std::move(owned)) {
    std::vector<sim::TraceSink*> sinks;
    for (const auto& o : owned_) sinks.push_back(o.get());
    front_ = front(sinks);
  }
  void process(std::uint32_t pid, std::string_view name, int s) override { front_->process(pid, name, s); }
  void track(sim::TrackId id, std::uint32_t pid, std::string_view name, int s) override {
    front_->track(id, pid, name, s);
  }
  void counter_track(sim::TrackId id, std::uint32_t pid, std::string_view name) override {
    front_->counter_track(id, pid, name);
  }
  void slice(sim::TrackId t, sim::Time b, sim::Time e, const sim::SliceStyle& st) override {
    front_->slice(t, b, e, st);
  }
  void labelled_slice(sim::TrackId t, sim::Time b, sim::Time e, const sim::SliceStyle& st,
                      std::string_view l) override {
    front_->labelled_slice(t, b, e, st, l);
  }
  void counter(sim::TrackId id, sim::Time t, std::int64_t v) override { front_->counter(id, t, v); }
  void instant(sim::TrackId tr, sim::Time t, const char* n) override { front_->instant(tr, t, n); }
  void flow(sim::TrackId f, sim::Time tf, sim::TrackId to, sim::Time tt, const char* n) override {
    front_->flow(f, tf, to, tt, n);
  }
  void finish(sim::Time end) override { front_->finish(end); }

 private:
  std::vector<std::unique_ptr<sim::TraceSink>> owned_;  // destroyed after the front
  std::unique_ptr<sim::TraceSink> front_;
};

}  // namespace

std::unique_ptr<sim::TraceSink> make_trace_sink(const std::string& chrome_path,
                                                const std::string& svg_path,
                                                const std::string& title, sim::Time svg_from,
                                                sim::Time svg_to, const std::optional<TraceWindow>& window) {
  std::unique_ptr<sim::TraceSink> chrome, svg;
  if (!chrome_path.empty()) chrome = std::make_unique<sim::ChromeTraceWriter>(chrome_path);
  if (chrome && window) {
    std::vector<std::unique_ptr<sim::TraceSink>> one;
    one.push_back(std::move(chrome));
    chrome = std::make_unique<OwningSink>(std::move(one), [&](const std::vector<sim::TraceSink*>& s) {
      return std::make_unique<sim::TraceWindow>(*s[0], window->from, window->to);
    });
  }
  if (!svg_path.empty()) {
    sim::SvgOptions options;
    options.from = svg_from;
    options.to = svg_to;
    options.legend_order = models::trace_styles::legend_order();
    svg = std::make_unique<sim::SvgTimeline>(svg_path, title, std::move(options));
  }
  if (!chrome || !svg) return chrome ? std::move(chrome) : std::move(svg);
  std::vector<std::unique_ptr<sim::TraceSink>> both;
  both.push_back(std::move(chrome));
  both.push_back(std::move(svg));
  return std::make_unique<OwningSink>(std::move(both), [](const std::vector<sim::TraceSink*>& s) {
    return std::make_unique<sim::TeeSink>(*s[0], *s[1]);
  });
}

std::pair<std::string, std::string> split_path(const std::string& path) {
  auto dot = path.find('.');
  if (dot == std::string::npos) return {path, {}};
  return {path.substr(0, dot), path.substr(dot + 1)};
}

bool selected(const RunOptions& options, const std::string& variant) {
  return options.variants.empty() ||
         std::find(options.variants.begin(), options.variants.end(), variant) !=
             options.variants.end();
}

bool ScenarioResult::all_hold() const {
  return failed_expectations() == 0 && unfinished_variants().empty();
}

int ScenarioResult::failed_expectations() const {
  return static_cast<int>(std::count_if(expectations.begin(), expectations.end(),
                                        [](const auto& e) { return e.verdict == Verdict::Fails; }));
}

std::vector<std::string> ScenarioResult::unfinished_variants() const {
  std::vector<std::string> names;
  for (const auto& r : runs)
    if (r.result.hit_time_limit) names.push_back(r.name);
  return names;
}

namespace {

// The settings that the scenario's expressions read of `variant`, with their
// values in its configuration (the loader checked each name).
void keep_settings_read(const loader::Scenario& scenario, const loader::Variant& variant, VariantRun& run) {
  auto keep = [&](const loader::Expr& expr) {
    for (const auto& path : expr.paths()) {
      auto [name, metric] = split_path(path);
      if (name != variant.name || !models::is_setting_path(metric)) continue;
      auto value = models::setting_value(variant.config, metric);
      if (!value) throw std::logic_error("expression reads unknown setting '" + metric + "'");
      run.settings[metric] = *value;
    }
  };
  for (const auto& e : scenario.expect) keep(e.expr);
  for (const auto& f : scenario.figures) keep(f.expr);
}

}  // namespace

ScenarioResult run_scenario(const loader::Scenario& scenario, const RunOptions& options) {
  if (options.replications < 1) throw std::invalid_argument("run_scenario: replications must be at least 1");
  if (options.replications > 1 && options.trace)
    throw std::invalid_argument("run_scenario: a trace is of one run, not of replications");
  ScenarioResult out;
  out.file = scenario.file;
  out.name = scenario.name;
  out.description = scenario.description;
  out.claim = scenario.claim;
  out.seed = scenario.seed;
  out.profile = scenario.profile;
  out.replications = options.replications;
  for (const auto& variant : scenario.variants) {
    if (!selected(options, variant.name)) continue;
    if (options.on_variant_start) options.on_variant_start(scenario, variant);
    std::unique_ptr<sim::TraceSink> trace;
    if (options.trace) trace = options.trace(scenario, variant);
    VariantRun run;
    run.name = variant.name;
    run.seed = variant.config.seed;
    run.cores = variant.config.machine.cores;
    run.python = variant.config.runtime.python;
    run.time_limit = variant.config.time_limit;
    keep_settings_read(scenario, variant, run);
    // Every thread group of the run: the main process's, child processes'
    // and pools' (workers, feeder and result threads), in layout order.
    for (const auto& t : variant.plan->layout().threads)
      if (run.groups.empty() || run.groups.back().first != t.group) run.groups.emplace_back(t.group, t.group_size);
    run.result = models::simulate(*variant.plan, variant.config.seed, trace.get(), options.watch);
    if (options.replications > 1) {
      std::vector<models::RunResult> replications = {std::move(run.result)};
      for (int r = 1; r < options.replications; ++r)
        replications.push_back(models::simulate(*variant.plan, variant.config.seed + static_cast<std::uint64_t>(r),
                                                nullptr, options.watch));
      summarise_replications(run, replications);
    }
    out.runs.push_back(std::move(run));
  }
  for (const auto& e : scenario.expect) out.expectations.push_back(check(e, out.runs));
  for (const auto& f : scenario.figures) out.figures.push_back(measure(f, out.runs));
  return out;
}

}  // namespace report
