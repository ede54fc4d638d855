#include "loader/did_you_mean.h"

#include <algorithm>
#include <cctype>

namespace loader {

namespace {

std::string lowercase(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// Optimal string alignment distance: Levenshtein plus the transposition of two
// neighbours ("swithc"), the commonest typo, counted as one edit.
std::size_t edit_distance(const std::string& a, const std::string& b) {
  const std::size_t n = a.size(), m = b.size();
  std::vector<std::vector<std::size_t>> d(n + 1, std::vector<std::size_t>(m + 1));
  for (std::size_t i = 0; i <= n; ++i) d[i][0] = i;
  for (std::size_t j = 0; j <= m; ++j) d[0][j] = j;
  for (std::size_t i = 1; i <= n; ++i) {
    for (std::size_t j = 1; j <= m; ++j) {
      std::size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[n][m];
}

std::size_t common_prefix(const std::string& a, const std::string& b) {
  std::size_t i = 0;
  while (i < a.size() && i < b.size() && a[i] == b[i]) ++i;
  return i;
}

// The keys of Python APIs that a user may well write and gilsim does not
// model, with what it does instead (README, "Not modelled yet").
struct NotModelled {
  const char* key;
  const char* why;
};
constexpr NotModelled kNotModelled[] = {
    {"chunksize", "'chunksize' (of Pool.map and Executor.map) is not modelled yet: gilsim sends each item of "
                  "'map' to the workers on its own, as chunksize=1 does"},
    {"maxtasksperchild", "'maxtasksperchild' is not modelled yet: a pool's workers live as long as the pool"},
    {"max_tasks_per_child", "'max_tasks_per_child' is not modelled yet: a pool's workers live as long as the pool"},
    {"initializer", "'initializer' (of a pool) is not modelled yet: a worker starts with its start-up cost only"},
    {"keep_alive", "'keep_alive' is not modelled yet: every request of a stream opens a connection of its own"},
    {"keepalive", "'keepalive' is not modelled yet: every request of a stream opens a connection of its own"},
    {"deadline", "'deadline' is not modelled yet: a server does not know that a client has left (clients "
                 "may time out: see timeout in the request streams)"},
};

}  // namespace

std::vector<std::string> likely_meant(std::string_view word, const std::vector<std::string>& candidates) {
  const std::string w = lowercase(word);
  if (w.empty()) return {};
  for (const auto& c : candidates)
    if (lowercase(c) == w) return {c};
  // An abbreviation: every candidate it begins up to a word's end
  // ("await" of "await_io"), or half of ("replic" of "replications"; not
  // "run" of "runtime", a word of its own).
  std::vector<std::string> begun;
  if (w.size() >= 3)
    for (const auto& c : candidates) {
      const std::string l = lowercase(c);
      if (l.size() <= w.size() || l.compare(0, w.size(), w) != 0) continue;
      if (l[w.size()] == '_' || l[w.size()] == '-' || l[w.size()] == '.' || (w.size() >= 4 && 2 * w.size() >= l.size()))
        begun.push_back(c);
    }
  if (!begun.empty()) return begun;
  const std::string* best = nullptr;
  std::size_t best_distance = 0, best_prefix = 0;
  for (const auto& candidate : candidates) {
    const std::string c = lowercase(candidate);
    const std::size_t d = edit_distance(w, c);
    if (d >= std::max(w.size(), c.size())) continue;  // nothing in common
    const std::size_t limit = c[0] == w[0] ? std::max<std::size_t>(1, (w.size() + 2) / 3)
                                           : std::max<std::size_t>(1, w.size() / 4);
    if (d > limit) continue;
    const std::size_t prefix = common_prefix(w, c);
    if (!best || d < best_distance || (d == best_distance && prefix > best_prefix)) {
      best = &candidate;
      best_distance = d;
      best_prefix = prefix;
    }
  }
  if (!best) return {};
  return {*best};
}

std::string closest_match(std::string_view word, const std::vector<std::string>& candidates) {
  auto meant = likely_meant(word, candidates);
  return meant.empty() ? std::string() : meant.front();
}

std::string did_you_mean(std::string_view word, const std::vector<std::string>& candidates) {
  return did_you_mean(likely_meant(word, candidates));
}

std::string did_you_mean(const std::vector<std::string>& meant) {
  if (meant.empty()) return {};
  std::string out = "; did you mean ";
  for (std::size_t i = 0; i < meant.size(); ++i) {
    if (i) out += i + 1 == meant.size() ? " or " : ", ";
    out += "'" + meant[i] + "'";
  }
  return out + "?";
}

std::string did_you_mean_option(std::string_view option, const std::vector<std::string>& long_names) {
  while (!option.empty() && option.front() == '-') option.remove_prefix(1);
  std::vector<std::string> meant = likely_meant(option, long_names);
  for (auto& m : meant) m = "--" + m;
  return did_you_mean(meant);
}

const char* not_modelled(std::string_view key) {
  const std::string k = lowercase(key);
  for (const auto& n : kNotModelled)
    if (k == n.key) return n.why;
  return nullptr;
}

}  // namespace loader
