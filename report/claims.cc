#include "report/claims.h"

#include <algorithm>
#include <mutex>

#include "report/embedded_scenarios.h"
#include "sim/parallel.h"

namespace report {

const std::vector<ArticleClaim>& article_claims() {
  // What the article says of each claim, in one line.
  static const std::vector<ArticleClaim> claims = {
      {"C1", "Only one thread runs Python bytecode at a time in one interpreter."},
      {"C2", "CPU-bound threads give no speed-up; context switching can make them slower."},
      {"C3", "Low CPU utilisation: the multicore machine is wasted."},
      {"C4", "Blocking I/O releases the GIL, so I/O-bound threads are effective."},
      {"C5", "Multiprocessing bypasses the GIL: speed-up approaches the core count."},
      {"C6", "asyncio runs coroutines on one thread; concurrent I/O waits overlap."},
      {"C7", "C extensions (numpy, hashing, compression) release the GIL and run in parallel."},
      {"C8", "Async API + Celery worker processes: API response time -80%, 5x capacity."},
      {"C9", "Batch CPU work scales with ProcessPoolExecutor(min(cpu_count, n))."},
      {"C10", "Reference counts would race without the GIL; a lock prevents it."},
      {"C11", "Thread switching has overhead."},
      {"C12", "The GIL barely affects I/O-bound work."},
  };
  return claims;
}

ClaimsRun run_claims(const loader::LoadOptions& load, const std::function<void(const std::string&)>& progress,
                     unsigned jobs) {
  ClaimsRun run;
  std::vector<loader::Scenario> scenarios;
  std::vector<std::string> paths;
  for (const auto& embedded : embedded_scenarios()) {
    std::string path(embedded.path);
    try {
      scenarios.push_back(loader::load_scenario_text(std::string(embedded.text), path, load));
    } catch (const loader::InputError& e) {
      run.load_errors.push_back(e.what());
      continue;
    }
    paths.push_back(std::move(path));
  }
  // Each scenario's runs depend on nothing but the scenario: run side by
  // side, the results are those of a serial run, kept in path order.
  run.results.resize(scenarios.size());
  std::mutex progress_mutex;
  sim::parallel_for(jobs, scenarios.size(), [&](unsigned, std::size_t i) {
    if (progress) {
      std::lock_guard<std::mutex> lock(progress_mutex);
      progress(paths[i]);
    }
    run.results[i] = run_scenario(scenarios[i]);
  });
  return run;
}

namespace {

std::vector<const ScenarioResult*> scenarios_of(const std::vector<ScenarioResult>& results,
                                                const std::string& claim) {
  std::vector<const ScenarioResult*> out;
  for (const auto& r : results)
    if (r.claim == claim) out.push_back(&r);
  return out;
}

// Claim ids in the order the table lists them: the article's, then any other
// id a scenario names (so that nothing a scenario says is hidden).
std::vector<std::string> claim_ids(const std::vector<ScenarioResult>& results) {
  std::vector<std::string> ids;
  for (const auto& c : article_claims()) ids.push_back(c.id);
  for (const auto& r : results)
    if (!r.claim.empty() && std::find(ids.begin(), ids.end(), r.claim) == ids.end())
      ids.push_back(r.claim);
  return ids;
}

std::string article_text(const std::string& id) {
  for (const auto& c : article_claims())
    if (id == c.id) return c.says;
  return "(not a claim of the article)";
}

std::string figures_cell(const ScenarioResult& r) {
  std::string cell;
  for (const auto& f : r.figures) {
    if (!cell.empty()) cell += "\n";
    cell += f.label + " = " + (f.value ? format_value(*f.value) : "-");
  }
  return cell;
}

// Off a terminal the words alone: "ok holds" would say it twice.
std::string holds_cell(const ScenarioResult& r, const Style& style) {
  auto marked = [&](const std::string& mark, const std::string& word) {
    return style.tty ? mark + " " + word : word;
  };
  if (!r.unfinished_variants().empty())
    return style.red(marked(style.fail_mark(), "did not finish"));
  int failed = r.failed_expectations();
  if (failed == 0) return style.green(marked(style.ok_mark(), "holds"));
  return style.red(marked(style.fail_mark(), style.tty ? "fails" : "FAILS") + " (" +
                   std::to_string(failed) + " of " + std::to_string(r.expectations.size()) + ")");
}

void print_failures(std::ostream& out, const std::vector<ScenarioResult>& results,
                    const Style& style) {
  for (const auto& r : results) {
    if (r.all_hold()) continue;
    out << "\n" << style.bold((r.claim.empty() ? "" : r.claim + " ") + r.name) << " (" << r.file
        << ")\n";
    for (const auto& e : r.expectations)
      if (e.verdict == Verdict::Fails) out << "  " << expectation_line(e, style) << "\n";
    for (const auto& v : r.unfinished_variants())
      out << "  " << style.red("error:") << " variant " << v << " did not finish within time_limit\n";
  }
}

}  // namespace

bool claims_hold(const std::vector<ScenarioResult>& results) {
  return std::all_of(results.begin(), results.end(),
                     [](const ScenarioResult& r) { return r.all_hold(); });
}

void print_claims_table(std::ostream& out, const std::vector<ScenarioResult>& results,
                        const Style& style) {
  using A = TextTable::Align;
  TextTable table({"claim", "the article says", "scenario", "gilsim measured", "verdict"},
                  {A::Left, A::Left, A::Left, A::Left, A::Left});
  int modelled = 0;
  std::vector<std::string> failing;
  bool first = true;
  for (const auto& id : claim_ids(results)) {
    if (!first) table.add_row({});  // a blank line between claims
    first = false;
    auto scenarios = scenarios_of(results, id);
    std::string says = wrap_text(article_text(id), 40);  // keeps the table within ~130 columns
    if (scenarios.empty()) {
      table.add_row({id, says, style.dim("not modelled yet"), "", "-"});
      continue;
    }
    ++modelled;
    bool holds = true;
    for (std::size_t i = 0; i < scenarios.size(); ++i) {
      const ScenarioResult& r = *scenarios[i];
      holds = holds && r.all_hold();
      table.add_row({i == 0 ? id : "", i == 0 ? says : "", r.name, figures_cell(r),
                     holds_cell(r, style)});
    }
    if (!holds) failing.push_back(id);
  }
  table.print(out, style);

  std::size_t total = claim_ids(results).size();
  out << "\n" << modelled << " of " << total << " claims modelled; ";
  if (failing.empty()) {
    out << style.green("every modelled claim holds") << "\n";
  } else {
    std::string ids;
    for (const auto& id : failing) ids += (ids.empty() ? "" : ", ") + id;
    out << style.red("not holding: " + ids) << "\n";
  }
  print_failures(out, results, style);
}

}  // namespace report
