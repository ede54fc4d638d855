// Which CPython a scenario runs (`runtime.python`), and what follows from it:
// its GIL protocol (models/gil_protocol.h), where its eval loop checks for a
// drop request, and what a free-threaded build costs. One table, in
// python_versions.cc; the loader validates `runtime.python` against it, and
// the run plan picks the protocol from it.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "models/config.h"

namespace models {

struct GilProtocolType;

struct PythonVersion {
  const char* name;  // as a scenario writes it: "3.12", "2.7", "3.13t"
  int major;
  int minor;
  const GilProtocolType* gil;  // the build's GIL
  // A free-threaded build: no GIL unless `runtime.gil: enabled`
  // (PYTHON_GIL=1), which gives it `gil_enabled`.
  bool free_threaded;
  const GilProtocolType* gil_enabled;
  // Pure-Python CPU time, as a factor on a GIL build's (runtime.cpu_overhead
  // overrides it).
  double cpu_overhead;
};

// The version named `name`, or null.
const PythonVersion* find_python_version(std::string_view name);
// Every version, in the table's order (docs, messages).
const std::vector<PythonVersion>& python_versions();
// The valid names, for a message: "\"2.7\" (old GIL), \"3.0\" .. \"3.14\", ...".
std::string python_version_names();

// What a run's runtime settings make of the version: the protocol (with
// `gil: enabled` on a free-threaded build) and the CPU overhead. Throws
// std::invalid_argument for a version the table does not have (the loader
// checks it first).
struct ResolvedRuntime {
  const PythonVersion* version;
  const GilProtocolType* gil;
  double cpu_overhead;
};
ResolvedRuntime resolve_runtime(const RuntimeConfig& runtime);

}  // namespace models
