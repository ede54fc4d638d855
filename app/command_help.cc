#include "app/command_help.h"

#include <algorithm>

namespace app {

namespace {

constexpr CommandOption kSeed = {"--seed", "N", "replace every scenario's seed (and its variants')"};
constexpr CommandOption kVariant = {"--variant", "NAME", "only this variant (repeatable)"};
constexpr CommandOption kCsv = {"--csv", "PATH",
                                "write the results as CSV, a row per scenario, variant and metric (.csv)"};
constexpr CommandOption kProfile = {"--profile", "FILE",
                                    "a machine profile: its costs under every scenario's own settings (docs/profiles.md)"};
constexpr CommandOption kMetrics = {"--metrics", "PATTERN,...",
                                    "only the metric columns matching these globs (like 'wall,gil.*')"};
constexpr CommandOption kMaxOperations = {"--max-operations", "N",
                                          "refuse a variant that would run more than N operations (default 10^9)"};
constexpr CommandOption kQuiet = {"--quiet", "", "no terminal table: only the exit code and the files asked for"};

const std::vector<CommandHelp>& commands() {
  static const std::vector<CommandHelp> all = {
      {"claims", "gilsim [claims] [options]",
       "Runs the scenarios shipped for the article's claims (compiled into gilsim) and\n"
       "prints the claims table. Exit 0 only if every modelled claim holds.",
       {kSeed, kProfile, kMaxOperations,
        {"--json", "PATH", "write every scenario's results as a JSON array (.json, '-': standard output)"},
        kCsv,
        kQuiet},
       "gilsim claims --json claims.json"},
      {"run", "gilsim run FILE... [options]",
       "Runs scenario files and prints a summary per scenario: the variants, the\n"
       "threads' time, the figures and the expectations. Exit 1 when an expectation\n"
       "fails or a run hits its time_limit.",
       {kSeed, kVariant, kProfile,
        {"--trace", "PATH", "write a Chrome trace per run, for ui.perfetto.dev (.json)"},
        {"--svg", "PATH", "write an SVG timeline per run (.svg)"},
        {"--svg-window", "FROM..TO", "the SVG shows only this span of simulated time (like 2s..2.5s)"},
        {"--trace-window", "FROM..TO", "the Chrome trace holds only this span of simulated time"},
        {"--trace-limit", "GB", "refuse a --trace estimated above GB before running (default 1)"},
        {"--json", "PATH", "write the results as JSON (.json, '-': standard output)"},
        kCsv,
        {"--replications", "N",
         "run each variant N times (2 or more), seeds seed, seed+1, ...; report means and 95 % intervals"},
        kMaxOperations, kQuiet},
       "gilsim run scenarios/c2_cpu_bound_threads.yaml --svg timeline.svg\n"
       "gilsim run my.yaml --replications 10 --json results.json"},
      {"check", "gilsim check FILE... [options]",
       "Validates scenario files without running them (and every point of a file's\n"
       "sweep). Exit 2 with file:line:column for the first error of each bad file.",
       {kSeed, kVariant, kProfile, kMaxOperations, kQuiet},
       "gilsim check my.yaml"},
      {"sweep", "gilsim sweep FILE [PATH=VALUES]... [options]",
       "Runs one scenario over every combination of its axes' values (the file's\n"
       "sweep.axes, replaced or extended by PATH=VALUES: PATH=[a,b,c], PATH=A..B or\n"
       "PATH=v), each point --replications times; expectations are not evaluated.\n"
       "Writes DIR/points/*.json as points finish, then DIR/results.csv and\n"
       "DIR/results.json; run the same command again to resume.",
       {{"--replications", "R", "runs per point, seeds N, N+1, ... (default: the file's, or 1)"},
        {"--jobs", "N", "runs at once (default: one per core)"},
        {"--out", "DIR", "the state directory (default: sweep-NAME)"},
        {"--shard", "K/N", "run only the K-th of N parts of the points (join them with 'gilsim merge')"},
        kSeed, kVariant,
        {"--csv", "PATH", "also write the results CSV here (.csv, '-': standard output)"},
        {"--json", "PATH", "also write the results JSON here (.json, '-': standard output)"},
        kMetrics, kProfile, kMaxOperations, kQuiet},
       "gilsim sweep my.yaml threads.0.count=1..8 --replications 3"},
      {"merge", "gilsim merge DIR... (--csv PATH | --json PATH)",
       "Joins the state directories of a sweep's shards (--shard K/N) into the results\n"
       "the whole sweep would have written.",
       {{"--csv", "PATH", "write the merged results as CSV (.csv, '-': standard output)"},
        {"--json", "PATH", "write the merged results as JSON (.json, '-': standard output)"},
        kMetrics},
       "gilsim merge shard-1 shard-2 --csv merged.csv"},
      {"init", "gilsim init [TEMPLATE] [options]",
       "Writes a commented starter scenario that runs as is (docs/init-templates.md).\n"
       "TEMPLATE is threads-vs-processes (the default), web-server, asyncio-executor or\n"
       "native-release-gil. An existing file is never overwritten.",
       {{"--out", "FILE", "where to write it (.yaml or .yml, '-': standard output; default: TEMPLATE.yaml)"},
        {"--list", "", "list the templates, one line each, and exit"}},
       "gilsim init web-server --out server.yaml && gilsim run server.yaml"},
  };
  return all;
}

}  // namespace

const CommandHelp* command_help(std::string_view command) {
  for (const auto& c : commands())
    if (command == c.name) return &c;
  return nullptr;
}

std::string command_help_text(const CommandHelp& help) {
  std::string out = std::string("Usage: ") + help.usage + "\n\n" + help.summary + "\n\nOptions:\n";
  std::vector<std::string> heads = {"  -h, --help"};
  std::vector<std::string> docs = {"print this help and exit"};
  for (const auto& o : help.options) {
    heads.push_back(std::string("  ") + o.name + (*o.value ? std::string(" ") + o.value : ""));
    docs.emplace_back(o.doc);
  }
  std::size_t width = 0;
  for (const auto& h : heads) width = std::max(width, h.size());
  for (std::size_t i = 0; i < heads.size(); ++i) out += heads[i] + std::string(width + 2 - heads[i].size(), ' ') + docs[i] + "\n";
  out += "\nExample:\n";
  std::string example = help.example;
  for (std::size_t start = 0; start < example.size();) {
    std::size_t end = example.find('\n', start);
    if (end == std::string::npos) end = example.size();
    out += "  " + example.substr(start, end - start) + "\n";
    start = end + 1;
  }
  return out;
}

std::vector<std::string> command_option_names(std::string_view command) {
  std::vector<std::string> names = {"--help"};
  for (const auto& c : commands()) {
    if (command_help(command) && command != c.name) continue;
    for (const auto& o : c.options)
      if (std::find(names.begin(), names.end(), o.name) == names.end()) names.emplace_back(o.name);
  }
  return names;
}

}  // namespace app
