#include "models/python_versions.h"

#include <stdexcept>

#include "models/gil_protocol.h"

namespace models {

// The protocols (each defined in its own file).
extern const GilProtocolType kNewGil;  // new_gil.cc
extern const GilProtocolType kOldGil;  // old_gil.cc
extern const GilProtocolType kNoGil;   // no_gil.cc

namespace {

// Free-threaded builds' single-thread overhead: 3.13t 1.40 ("about 40 % on
// the pyperformance suite", Doc/howto/free-threading-python.rst 3.13.0);
// 3.14t 1.08 (What's New in 3.14: "roughly 5-10%"; ~8 % on x86-64 Linux per
// the 3.14 HOWTO).
const std::vector<PythonVersion> kVersions = {
    // 2.x and 3.0/3.1: the ticker and a semaphore (the new GIL is 3.2's).
    {"2.0", 2, 0, &kOldGil, false, nullptr, 1.0},
    {"2.1", 2, 1, &kOldGil, false, nullptr, 1.0},
    {"2.2", 2, 2, &kOldGil, false, nullptr, 1.0},
    {"2.3", 2, 3, &kOldGil, false, nullptr, 1.0},
    {"2.4", 2, 4, &kOldGil, false, nullptr, 1.0},
    {"2.5", 2, 5, &kOldGil, false, nullptr, 1.0},
    {"2.6", 2, 6, &kOldGil, false, nullptr, 1.0},
    {"2.7", 2, 7, &kOldGil, false, nullptr, 1.0},
    {"2.x", 2, 7, &kOldGil, false, nullptr, 1.0},
    {"3.0", 3, 0, &kOldGil, false, nullptr, 1.0},
    {"3.1", 3, 1, &kOldGil, false, nullptr, 1.0},
    // Python/ceval_gil.c (ceval_gil.h up to 3.11).
    {"3.2", 3, 2, &kNewGil, false, nullptr, 1.0},
    {"3.3", 3, 3, &kNewGil, false, nullptr, 1.0},
    {"3.4", 3, 4, &kNewGil, false, nullptr, 1.0},
    {"3.5", 3, 5, &kNewGil, false, nullptr, 1.0},
    {"3.6", 3, 6, &kNewGil, false, nullptr, 1.0},
    {"3.7", 3, 7, &kNewGil, false, nullptr, 1.0},
    {"3.8", 3, 8, &kNewGil, false, nullptr, 1.0},
    {"3.9", 3, 9, &kNewGil, false, nullptr, 1.0},
    {"3.10", 3, 10, &kNewGil, false, nullptr, 1.0},
    {"3.11", 3, 11, &kNewGil, false, nullptr, 1.0},
    {"3.12", 3, 12, &kNewGil, false, nullptr, 1.0},
    {"3.13", 3, 13, &kNewGil, false, nullptr, 1.0},
    {"3.14", 3, 14, &kNewGil, false, nullptr, 1.0},
    // Free-threaded builds (PEP 703): no GIL by default.
    {"3.13t", 3, 13, &kNoGil, true, &kNewGil, 1.40},
    {"3.14t", 3, 14, &kNoGil, true, &kNewGil, 1.08},
};

}  // namespace

const PythonVersion* find_python_version(std::string_view name) {
  for (const PythonVersion& v : kVersions)
    if (name == v.name) return &v;
  return nullptr;
}

const std::vector<PythonVersion>& python_versions() { return kVersions; }

std::string python_version_names() {
  // Groups of versions with the same GIL, each as runs of consecutive minor
  // versions ("3.2" .. "3.14"), and what the group's GIL is.
  const auto quoted = [](const PythonVersion& v) { return std::string("\"") + v.name + "\""; };
  const auto numbered = [](const PythonVersion& v) {
    return std::string_view(v.name).find_first_not_of("0123456789.") == std::string_view::npos;
  };
  std::string out;
  for (std::size_t i = 0; i < kVersions.size();) {
    std::size_t group_end = i;
    while (group_end + 1 < kVersions.size() && kVersions[group_end + 1].gil == kVersions[i].gil) ++group_end;
    for (std::size_t j = i; j <= group_end;) {
      std::size_t run = j;
      while (run + 1 <= group_end && numbered(kVersions[run + 1]) && numbered(kVersions[j]) &&
             kVersions[run + 1].major == kVersions[j].major && kVersions[run + 1].minor == kVersions[run].minor + 1)
        ++run;
      if (!out.empty()) out += ", ";
      out += quoted(kVersions[j]);
      if (run > j + 1) out += " .. " + quoted(kVersions[run]);
      else if (run == j + 1) out += ", " + quoted(kVersions[run]);
      j = run + 1;
    }
    out += std::string(" (") + (kVersions[i].free_threaded ? "free-threaded" : kVersions[i].gil->name) + ")";
    i = group_end + 1;
  }
  return out;
}

ResolvedRuntime resolve_runtime(const RuntimeConfig& runtime) {
  const PythonVersion* v = find_python_version(runtime.python);
  if (!v) throw std::invalid_argument("unknown python version '" + runtime.python + "'");
  const GilProtocolType* gil = runtime.gil_enabled && v->free_threaded ? v->gil_enabled : v->gil;
  return {v, gil, runtime.cpu_overhead >= 0 ? runtime.cpu_overhead : v->cpu_overhead};
}

}  // namespace models
