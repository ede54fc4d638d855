// `threads:` and `processes:`: groups of threads with their programs, and
// child processes, each with its own interpreter and threads.
#pragma once

#include <yaml-cpp/yaml.h>

#include <cstdint>
#include <string>
#include <vector>

#include "loader/scenario_program.h"
#include "loader/schema.h"
#include "loader/yaml_source.h"
#include "models/config.h"

namespace loader {

// At most this many threads per variant: far beyond any real Python program
// that runs threads (thread pools are tens), and it bounds the run's memory.
inline constexpr int kMaxThreads = 10000;

inline constexpr const char* kNoThreads = "threads is empty: a scenario needs at least one thread";

// `threads:` of the main process (`context`) or of a child process. An empty
// list is an error unless `may_be_empty` (the main process of a file with
// processes: a server's master that only starts its workers).
std::vector<models::ThreadGroup> read_threads(const YamlSource& src, const YAML::Node& node, int machine_cores,
                                              const ProgramContext& context, bool may_be_empty = false);

// `context` is the main process's; a child process's threads get their own,
// which forbids pools, locks and counters (read_program checks them).
std::vector<models::ProcessGroup> read_processes(const YamlSource& src, const YAML::Node& node, int machine_cores,
                                                 const ProgramContext& context);

// A list of core numbers (os.sched_setaffinity), each in [0, max_core]:
// `max_core` is the highest core number of the machine (cores - 1). `label`
// names the owner ("thread 'w'"), `who` says what runs there ("a thread").
std::vector<int> read_cores(const YamlSource& src, const YAML::Node& node, const std::string& label,
                            const std::string& who, std::int64_t max_core);

// `start_method` of a process group or a process pool.
models::StartMethod read_start_method(const YamlSource& src, const YAML::Node& node, const std::string& where);
// "fork | forkserver | spawn", and a method's name.
const char* start_method_choices();
std::string start_method_name(models::StartMethod method);
// The start-up of a process by start method, for the reference.
std::string startup_by_start_method();
std::string start_interval_by_start_method();

// The reference's sections: a thread, a process.
std::vector<SectionDoc> thread_docs();

}  // namespace loader
