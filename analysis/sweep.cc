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
#include <thread>

#include "analysis/sweep_axes.h"
#include "loader/yaml_source.h"
#include "models/simulation.h"

namespace analysis {

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

std::string read_scenario_text(const std::string& path) {
  auto cannot_read = [&](const std::string& reason) {
    return loader::InputError(loader::SourcePos{}, "cannot read " + path + ": " + reason);
  };
  std::ifstream in(path, std::ios::binary);
  if (!in) throw cannot_read(std::strerror(errno));
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) throw cannot_read(std::strerror(errno));
  return text.str();
}

// The node a file axis's value came from, so that an error about the value
// points at it; a range's values and the command line's get new nodes.
YAML::Node value_node(const YAML::Node& root, const loader::SweepAxis& axis, std::size_t i) {
  const loader::AxisValue& v = axis.values[i];
  if (!axis.from_command_line) {
    const YAML::Node& r = root;  // const: lookups must not add keys
    const YAML::Node written = r["sweep"]["axes"][axis.path];
    if (written.IsSequence()) return written[i];
    if (written.IsScalar() && (written.Tag() == "!" || !loader::looks_like_range(written.Scalar())))
      return written;
  }
  // A node made here has no place in the file (yaml-cpp's null mark), so that
  // an error about it shows none rather than a wrong one.
  YAML::Node made(v.text);
  made.SetTag(v.quoted ? "!" : "?");
  return made;
}

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
PointRecord read_point_record(const std::string& text, std::size_t point, const std::string& path) {
  try {
    PointRecord record = read_point_json(text);
    if (record.point != point) throw std::runtime_error("it holds point " + std::to_string(record.point));
    return record;
  } catch (const std::runtime_error& e) {
    throw SweepError(path + ": " + e.what() + "; to redo that point, delete " + path +
                     " and run again the gilsim sweep command that wrote it (its other points are kept)");
  }
}

}  // namespace

loader::Scenario load_point(const SweepDefinition& d, const std::string& file, const std::string& text,
                         std::size_t point) {
  const loader::YamlSource src(file, text);
  YAML::Node root = src.parse();
  const auto c = d.coordinates(point);
  // A bad path is the axis's fault, the same at every point: reported plainly.
  for (std::size_t k = 0; k < d.axes.size(); ++k)
    apply_axis(src, root, d.axes[k], value_node(root, d.axes[k], c[k]));
  try {
    return loader::load_scenario_tree(src, root);
  } catch (const loader::InputError& e) {
    const loader::SourcePos& pos = e.pos();
    throw loader::InputError(pos,
                          "at point " + std::to_string(point) + " of the sweep (" +
                              d.describe_point(point) + "): " + e.message(),
                          pos.line > 0 ? src.line(pos.line) : std::string());
  }
}

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

PreparedSweep prepare_sweep(const SweepRequest& request) {
  const std::string text = read_scenario_text(request.file);
  const loader::Scenario base = loader::load_scenario_text(text, request.file);
  PreparedSweep out;
  SweepDefinition& d = out.definition;
  d.scenario = base.name;
  std::vector<loader::SourcePos> analyses;
  if (base.sweep.fit) analyses.push_back(base.sweep.fit->pos);
  if (base.sweep.saturation) analyses.push_back(base.sweep.saturation->pos);
  d.file_hash = fnv1a64(identity_text(text, analyses));
  d.axes = merged_axes(base.sweep.axes, request.axes);
  if (d.axes.empty())
    throw SweepError("nothing to sweep: " + request.file +
                     " has no sweep.axes; give axes as PATH=VALUES, like "
                     "runtime.switch_interval=[1ms,5ms] or threads.0.count=1..4");
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
  d.variants = selected_variants(base, request.variants);
  d.base_seed = request.seed.value_or(base.seed);
  std::size_t points = 1;
  for (const auto& a : d.axes) {
    if (points > kMaxPoints / a.values.size())
      throw SweepError("the sweep has more than " + std::to_string(kMaxPoints) +
                       " points: use fewer values");
    points *= a.values.size();
  }

  // Every point is loaded before any runs: a bad one fails now, not hours in.
  out.configs.reserve(points);
  for (std::size_t p = 0; p < points; ++p) {
    loader::Scenario s = load_point(d, request.file, text, p);
    std::vector<models::SimulationConfig> runs;
    for (auto& v : s.variants)
      if (std::find(d.variants.begin(), d.variants.end(), v.name) != d.variants.end())
        runs.push_back(std::move(v.config));
    out.configs.push_back(std::move(runs));
  }
  return out;
}

SweepOutcome run_sweep(const PreparedSweep& sweep, const SweepState& state,
                       const SweepRunOptions& options) {
  const SweepDefinition& d = sweep.definition;
  const std::size_t replications = static_cast<std::size_t>(d.replications);
  const std::size_t variants = d.variants.size();
  SweepOutcome outcome;
  std::vector<std::size_t> shard_points, todo;
  for (std::size_t p = 0; p < d.points(); ++p) {
    if (!options.shard.contains(p)) continue;
    shard_points.push_back(p);
    if (state.has_point(p)) {
      ++outcome.already_done;
    } else {
      todo.push_back(p);
    }
  }
  outcome.points = shard_points.size();
  if (options.on_start) options.on_start(outcome.already_done, outcome.points);

  // Work items are (point, replication) runs, taken in order from a shared
  // counter; the worker that ends a point's last run writes its file.
  std::vector<std::vector<RunRecord>> runs(todo.size(), std::vector<RunRecord>(replications * variants));
  std::vector<std::atomic<std::size_t>> left(todo.size());
  for (auto& l : left) l.store(replications);
  std::atomic<std::size_t> next{0};
  std::atomic<bool> stop{false};
  std::exception_ptr error;
  std::mutex mutex;  // guards outcome, error and the callback
  std::size_t done = outcome.already_done;

  auto finish_point = [&](std::size_t i) {
    PointRecord record{todo[i], {}};
    for (std::size_t v = 0; v < variants; ++v)
      for (std::size_t r = 0; r < replications; ++r) record.runs.push_back(std::move(runs[i][r * variants + v]));
    state.write_point(record.point, point_json(d, record));
    std::lock_guard<std::mutex> lock(mutex);
    ++outcome.ran;
    ++done;
    for (const auto& run : record.runs)
      if (!run.finished)
        outcome.unfinished.push_back("point " + std::to_string(record.point) + ", variant " +
                                     run.variant + ", replication " + std::to_string(run.replication));
    if (options.on_point) options.on_point(done, outcome.points);
  };

  auto worker = [&] {
    for (;;) {
      if (stop.load()) return;
      const std::size_t item = next.fetch_add(1);
      if (item >= todo.size() * replications) return;
      const std::size_t i = item / replications;
      const std::size_t r = item % replications;
      try {
        for (std::size_t v = 0; v < variants; ++v) {
          models::SimulationConfig config = sweep.configs[todo[i]][v];
          config.seed = d.seed(static_cast<int>(r));
          const models::RunResult result = models::simulate(config);
          runs[i][r * variants + v] = RunRecord{d.variants[v], static_cast<int>(r), config.seed,
                                                !result.hit_time_limit, result.metrics};
        }
        if (left[i].fetch_sub(1) == 1) finish_point(i);
      } catch (...) {
        std::lock_guard<std::mutex> lock(mutex);
        if (!error) error = std::current_exception();
        stop.store(true);
        return;
      }
    }
  };

  const std::size_t items = todo.size() * replications;
  const unsigned jobs = static_cast<unsigned>(std::max<std::size_t>(1, std::min<std::size_t>(options.jobs, items)));
  if (jobs == 1) {
    worker();
  } else {
    std::vector<std::thread> threads;
    for (unsigned j = 0; j < jobs; ++j) threads.emplace_back(worker);
    for (auto& t : threads) t.join();
  }
  if (error) std::rethrow_exception(error);
  std::sort(outcome.unfinished.begin(), outcome.unfinished.end());

  // Results come from the files, the same way whether a point ran now or in
  // an earlier, interrupted run.
  for (std::size_t p : shard_points)
    outcome.records.push_back(read_point_record(state.read_point(p), p, state.point_path(p)));
  return outcome;
}

Merged merge_sweeps(const std::vector<std::string>& dirs) {
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
  std::vector<std::size_t> missing;
  for (std::size_t p = 0; p < merged.definition.points(); ++p) {
    std::string text;
    std::size_t from = states.size();
    for (std::size_t i = 0; i < states.size(); ++i) {
      if (!states[i].has_point(p)) continue;
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
    merged.records.push_back(read_point_record(text, p, states[from].point_path(p)));
  }
  if (!missing.empty())
    throw SweepError(std::to_string(missing.size()) + " of " + std::to_string(merged.definition.points()) +
                     " points are missing: " + index_ranges(missing) +
                     " (run the shards that hold them, or give their directories)");
  return merged;
}

}  // namespace analysis
