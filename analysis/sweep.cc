#include "analysis/sweep.h"

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <exception>
#include <fstream>
#include <mutex>
#include <sstream>
#include <set>
#include <thread>

#include "analysis/sweep_points.h"
#include "loader/yaml_source.h"
#include "models/simulation.h"
#include "sim/parallel.h"

namespace analysis {

using sim::parallel_for;

loader::ParseResult<Shard> parse_shard(std::string_view text) {
  loader::ParseResult<Shard> r;
  const std::size_t slash = text.find('/');
  auto whole = [](std::string_view s, int& out) {
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
    return !s.empty() && ec == std::errc() && end == s.data() + s.size();
  };
  if (slash == std::string_view::npos || !whole(text.substr(0, slash), r.value.index) ||
      !whole(text.substr(slash + 1), r.value.count)) {
    r.problem = "--shard wants K/N (the K-th of N parts, like 2/8), not '" + std::string(text) + "'";
  } else if (r.value.count < 1 || r.value.index < 1 || r.value.index > r.value.count) {
    r.problem = "--shard " + std::string(text) + ": K must be from 1 to N, and N at least 1";
  }
  return r;
}

std::string index_ranges(const std::vector<std::size_t>& indices) {
  std::string out;
  for (std::size_t i = 0; i < indices.size();) {
    std::size_t j = i;
    while (j + 1 < indices.size() && indices[j + 1] == indices[j] + 1) ++j;
    out += (out.empty() ? "" : ", ") + std::to_string(indices[i]);
    if (j > i) {
      out += '-';  // appended piecewise: GCC 12 warns falsely (-Wrestrict) on "-" + to_string()
      out += std::to_string(indices[j]);
    }
    i = j + 1;
  }
  return out;
}

namespace {

std::vector<loader::SweepAxis> merged_axes(const std::vector<loader::SweepAxis>& from_file,
                                        const std::vector<loader::SweepAxis>& from_command_line) {
  std::vector<loader::SweepAxis> axes = from_file;
  for (std::size_t i = 0; i < from_command_line.size(); ++i) {
    const auto& a = from_command_line[i];
    for (std::size_t j = 0; j < i; ++j)
      if (from_command_line[j].path == a.path)
        throw SweepError("the axis '" + a.path + "' is given twice on the command line");
    auto same = std::find_if(axes.begin(), axes.end(), [&](const auto& x) { return x.path == a.path; });
    if (same != axes.end()) {
      *same = a;
    } else {
      axes.push_back(a);
    }
  }
  return axes;
}

std::vector<std::string> selected_variants(const loader::Scenario& s, const std::vector<std::string>& wanted) {
  std::vector<std::string> known;
  for (const auto& v : s.variants) known.push_back(v.name);
  for (const auto& w : wanted) {
    if (std::find(known.begin(), known.end(), w) != known.end()) continue;
    std::string message = "unknown variant '" + w + "'";
    const std::string close = loader::closest_match(w, known);
    if (!close.empty()) message += "; did you mean '" + close + "'?";
    std::string list;
    for (const auto& k : known) list += (list.empty() ? "" : ", ") + k;
    throw SweepError(message + " (variants: " + list + ")");
  }
  if (wanted.empty()) return known;
  std::vector<std::string> out;  // file order, whatever order --variant came in
  for (const auto& k : known)
    if (std::find(wanted.begin(), wanted.end(), k) != wanted.end()) out.push_back(k);
  return out;
}

// A point file's record, checked to be the point it is named for.
PointRecord read_point_record(const std::string& text, std::size_t point, const std::string& path,
                              MetricNameSets& names) {
  try {
    PointRecord record = read_point_json(text, &names);
    if (record.point != point) throw std::runtime_error("it holds point " + std::to_string(record.point));
    return record;
  } catch (const std::runtime_error& e) {
    throw SweepError(path + ": " + e.what() + "; to redo that point, delete " + path +
                     " and run again the gilsim sweep command that wrote it (its other points are kept)");
  }
}

}  // namespace

namespace {

std::string without_entry(const std::string& text, const loader::SourcePos& fit) {
  std::vector<std::size_t> starts{0};  // where each line starts
  for (std::size_t i = 0; i < text.size(); ++i)
    if (text[i] == '\n') starts.push_back(i + 1);
  if (fit.line < 1 || static_cast<std::size_t>(fit.line) > starts.size()) return text;
  auto line = [&](std::size_t i) {
    const std::size_t end = i + 1 < starts.size() ? starts[i + 1] : text.size();
    return std::string_view(text).substr(starts[i], end - starts[i]);
  };
  const std::size_t first = static_cast<std::size_t>(fit.line - 1);
  const std::size_t column = static_cast<std::size_t>(fit.column - 1);
  if (line(first).find_first_not_of(' ') != column) return text;
  std::size_t last = first;
  for (std::size_t i = first + 1; i < starts.size(); ++i) {
    const std::string_view l = line(i);
    const std::size_t indent = l.find_first_not_of(' ');
    if (indent == std::string_view::npos || l[indent] == '\n' || l[indent] == '\r' || l[indent] == '#') continue;
    if (indent <= column) break;
    last = i;
  }
  const std::size_t end = last + 1 < starts.size() ? starts[last + 1] : text.size();
  return text.substr(0, starts[first]) + text.substr(end);
}

// `what` (like "sweep.fit.x") names `path`, which must be one of the axes.
void require_axis(const std::vector<loader::SweepAxis>& axes, const std::string& path, const std::string& what,
                  const loader::SourcePos& pos, const std::string& file, const std::string& text) {
  std::vector<std::string> paths;
  for (const auto& a : axes) paths.push_back(a.path);
  if (std::find(paths.begin(), paths.end(), path) != paths.end()) return;
  std::string message = what + ": '" + path + "' is not an axis of the sweep";
  const std::string close = loader::closest_match(path, paths);
  if (!close.empty()) message += "; did you mean '" + close + "'?";
  std::string list;
  for (const auto& p : paths) list += (list.empty() ? "" : ", ") + p;
  throw loader::InputError(pos, message + " (axes: " + list + ")", loader::YamlSource(file, text).line(pos.line));
}

}  // namespace

std::string identity_text(const std::string& text, std::vector<loader::SourcePos> entries) {
  // The last entry first: cutting it leaves the lines of those above in place.
  std::sort(entries.begin(), entries.end(), [](const loader::SourcePos& a, const loader::SourcePos& b) {
    return a.line > b.line;
  });
  std::string out = text;
  for (const auto& e : entries) out = without_entry(out, e);
  return out;
}


namespace {

// Serialises a progress callback.
class Reporter {
 public:
  explicit Reporter(const Progress& progress) : progress_(progress) {}
  void operator()(std::size_t done, std::size_t total) {
    if (!progress_) return;
    std::lock_guard<std::mutex> lock(mutex_);
    progress_(done, total);
  }

 private:
  const Progress& progress_;
  std::mutex mutex_;
};

}  // namespace

namespace {

// Nothing without a profile, so that a sweep's hash is what it was before
// profiles existed.
std::string profile_identity(const loader::Profile* profile) {
  if (!profile) return {};
  YAML::Emitter out;
  out << profile->settings;
  return "\n# profile " + profile->name + "\n" + out.c_str();
}

}  // namespace

PreparedSweep define_sweep(const SweepRequest& request) {
  PreparedSweep out;
  out.file = request.file;
  out.text = loader::read_text_file(request.file, "");
  const std::string& text = out.text;
  out.load.profile = request.profile;
  out.load.max_operations = request.max_operations;
  const loader::Scenario base = loader::load_scenario_text(text, request.file, out.load);
  SweepDefinition& d = out.definition;
  d.scenario = base.name;
  std::vector<loader::SourcePos> analyses;
  if (base.sweep.fit) analyses.push_back(base.sweep.fit->pos);
  if (base.sweep.saturation) analyses.push_back(base.sweep.saturation->pos);
  // A profile changes every point's results: the same file under another
  // profile is another sweep, which must not resume this one's points.
  d.file_hash = fnv1a64(identity_text(text, analyses) + profile_identity(request.profile.get()));
  d.axes = merged_axes(base.sweep.axes, request.axes);
  // Checked against the final axes: the command line may add the fit's x or
  // the saturation's load.
  if (base.sweep.fit) {
    require_axis(d.axes, base.sweep.fit->x, "sweep.fit.x", base.sweep.fit->x_pos, request.file, text);
    out.fit = base.sweep.fit;
  }
  if (base.sweep.saturation) {
    const loader::SweepSaturation& sat = *base.sweep.saturation;
    require_axis(d.axes, sat.request.load, "sweep.saturation.load", sat.load_pos, request.file, text);
    out.saturation = sat;
  }
  d.replications = request.replications.value_or(base.sweep.replications);
  if (d.axes.empty() && d.replications == 1)
    throw SweepError("nothing to sweep: " + request.file +
                     " has no sweep.axes and one replication; give axes as PATH=VALUES, like "
                     "runtime.switch_interval=[1ms,5ms] or threads.0.count=1..4, or --replications R");
  d.variants = selected_variants(base, request.variants);
  d.base_seed = request.seed.value_or(base.seed);
  std::size_t points = 1;
  for (const auto& a : d.axes) {
    if (points > kMaxPoints / a.values.size())
      throw SweepError("the sweep has more than " + std::to_string(kMaxPoints) + " points: use fewer values");
    points *= a.values.size();
  }
  // Which variants each axis reaches is a matter of the file's structure,
  // the same at every point: read at point 0. A bad axis path fails here.
  PointLoader first(d, out.file, out.text, out.load);
  first.scenario(0);
  d.unreached.clear();
  for (const auto& u : first.unreached()) {
    std::vector<std::string> running;  // of the variants that run, in their order
    for (const auto& v : d.variants)
      if (std::find(u.begin(), u.end(), v) != u.end()) running.push_back(v);
    d.unreached.push_back(std::move(running));
  }
  return out;
}

std::vector<std::string> validate_points(const PreparedSweep& sweep, unsigned jobs, const Progress& progress,
                                         bool collect_metric_names) {
  const SweepDefinition& d = sweep.definition;
  const std::size_t points = d.points();
  std::vector<std::unique_ptr<PointLoader>> loaders(std::max(1u, jobs));
  std::vector<std::set<std::string>> names(loaders.size());
  Reporter report(progress);
  std::atomic<std::size_t> done{0};
  parallel_for(jobs, points, [&](unsigned w, std::size_t p) {
    if (!loaders[w]) loaders[w] = std::make_unique<PointLoader>(d, sweep.file, sweep.text, sweep.load);
    const auto plans = loaders[w]->plans(p);
    if (collect_metric_names)
      for (const auto& plan : plans) {
        const auto list = plan->metric_names();
        names[w].insert(list.begin(), list.end());
      }
    report(done.fetch_add(1) + 1, points);
  });
  std::set<std::string> all;
  for (const auto& n : names) all.insert(n.begin(), n.end());
  return std::vector<std::string>(all.begin(), all.end());
}

PreparedSweep prepare_sweep(const SweepRequest& request) {
  PreparedSweep sweep = define_sweep(request);
  validate_points(sweep, 1);
  return sweep;
}

SweepOutcome run_sweep(const PreparedSweep& sweep, const SweepState& state, const SweepRunOptions& options) {
  const SweepDefinition& d = sweep.definition;
  const std::size_t replications = static_cast<std::size_t>(d.replications);
  const std::size_t variants = d.variants.size();
  SweepOutcome outcome;
  const std::vector<bool> present = state.points_present(d.points());
  std::vector<std::size_t> shard_points, todo, done_before;
  std::vector<std::size_t> slot_of_todo;  // each todo point's place in the records
  for (std::size_t p = 0; p < d.points(); ++p) {
    if (!options.shard.contains(p)) continue;
    if (present[p]) {
      done_before.push_back(shard_points.size());
    } else {
      slot_of_todo.push_back(shard_points.size());
      todo.push_back(p);
    }
    shard_points.push_back(p);
  }
  outcome.points = shard_points.size();
  outcome.already_done = done_before.size();
  if (options.on_start) options.on_start(outcome.already_done, outcome.points);
  MetricNameSets names(options.metrics);
  outcome.records.resize(shard_points.size());

  // The points run before: their files, read first (a damaged one stops the
  // sweep before it spends time on runs).
  {
    Reporter report(options.on_read);
    std::atomic<std::size_t> read{0};
    parallel_for(options.jobs, done_before.size(), [&](unsigned, std::size_t i) {
      const std::size_t p = shard_points[done_before[i]];
      outcome.records[done_before[i]] = read_point_record(state.read_point(p), p, state.point_path(p), names);
      report(read.fetch_add(1) + 1, done_before.size());
    });
  }

  // Work items are (point, replication) runs, taken in order; the first run
  // of a point loads it (its plans are shared by its replications), and the
  // one that ends its last writes its file and keeps its record.
  struct Point {
    std::once_flag loaded;
    std::vector<std::shared_ptr<const models::RunPlan>> plans;
    std::vector<RunRecord> runs;  // by replication, then variant
    std::atomic<std::size_t> left{0};
  };
  std::vector<Point> points(todo.size());
  for (auto& p : points) p.left.store(replications);
  std::vector<std::unique_ptr<PointLoader>> loaders(std::max(1u, options.jobs));
  std::mutex mutex;  // guards outcome's counts and the callback
  std::size_t done = outcome.already_done;

  auto finish_point = [&](std::size_t i) {
    Point& point = points[i];
    PointRecord record{todo[i], {}};
    for (std::size_t v = 0; v < variants; ++v)
      for (std::size_t r = 0; r < replications; ++r) record.runs.push_back(std::move(point.runs[r * variants + v]));
    point.runs = {};
    point.plans = {};
    state.write_point(record.point, point_json(d, record));
    for (auto& run : record.runs) run.metrics = names.keep(run.metrics);
    std::lock_guard<std::mutex> lock(mutex);
    ++outcome.ran;
    ++done;
    for (const auto& run : record.runs)
      if (!run.finished)
        outcome.unfinished.push_back("point " + std::to_string(record.point) + ", variant " + run.variant +
                                     ", replication " + std::to_string(run.replication));
    outcome.records[slot_of_todo[i]] = std::move(record);
    if (options.on_point) options.on_point(done, outcome.points);
  };

  parallel_for(options.jobs, todo.size() * replications, [&](unsigned w, std::size_t item) {
    const std::size_t i = item / replications;
    const std::size_t r = item % replications;
    Point& point = points[i];
    std::call_once(point.loaded, [&] {
      if (!loaders[w]) loaders[w] = std::make_unique<PointLoader>(d, sweep.file, sweep.text, sweep.load);
      point.plans = loaders[w]->plans(todo[i]);
      point.runs.resize(replications * variants);
    });
    // Every metric (the point file takes them all), the names shared.
    for (std::size_t v = 0; v < variants; ++v) {
      const std::uint64_t seed = d.seed(static_cast<int>(r));
      const models::RunResult result = models::simulate(*point.plans[v], seed);
      point.runs[r * variants + v] =
          RunRecord{d.variants[v], static_cast<int>(r), seed, !result.hit_time_limit, names.share(result.metrics)};
    }
    if (point.left.fetch_sub(1) == 1) finish_point(i);
  });
  std::sort(outcome.unfinished.begin(), outcome.unfinished.end());
  return outcome;
}

Merged merge_sweeps(const std::vector<std::string>& dirs, const MetricFilter& metrics) {
  std::vector<SweepState> states;
  for (const auto& dir : dirs) states.push_back(SweepState::existing(dir));
  for (std::size_t i = 1; i < states.size(); ++i) {
    const std::string difference = manifest_difference(states[0].manifest(), states[i].manifest());
    if (!difference.empty())
      throw SweepError(dirs[0] + " and " + dirs[i] + " hold different sweeps (" + difference +
                       "): merge joins the shards of one sweep");
  }
  Merged merged;
  try {
    merged.definition = read_manifest(states[0].manifest());
  } catch (const std::runtime_error& e) {
    throw SweepError(dirs[0] + "/manifest.json: " + e.what());
  }
  const std::size_t total = merged.definition.points();
  std::vector<std::vector<bool>> present;
  for (const auto& s : states) present.push_back(s.points_present(total));
  MetricNameSets names(metrics);
  std::vector<std::size_t> missing;
  for (std::size_t p = 0; p < total; ++p) {
    std::string text;
    std::size_t from = states.size();
    for (std::size_t i = 0; i < states.size(); ++i) {
      if (!present[i][p]) continue;
      std::string t = states[i].read_point(p);
      if (from == states.size()) {
        text = std::move(t);
        from = i;
      } else if (t != text) {
        throw SweepError("point " + std::to_string(p) + " differs between " + states[from].point_path(p) +
                         " and " + states[i].point_path(p));
      }
    }
    if (from == states.size()) {
      missing.push_back(p);
      continue;
    }
    merged.records.push_back(read_point_record(text, p, states[from].point_path(p), names));
  }
  if (!missing.empty())
    throw SweepError(std::to_string(missing.size()) + " of " + std::to_string(total) +
                     " points are missing: " + index_ranges(missing) +
                     " (run the shards that hold them, or give their directories)");
  merged.names = names.all_names();
  return merged;
}

}  // namespace analysis
