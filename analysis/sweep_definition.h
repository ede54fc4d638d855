// What a sweep is: the scenario, its axes, replications, variants and seeds.
// Two runs with equal definitions are the same sweep, so the state directory
// records it (manifest.json) and a resumed or sharded run must match it.
//
// Points are the cartesian product of the axes, first axis outermost, numbered
// from 0 in that order. Replication r of every point runs with seed base + r:
// the same seeds at every point (common random numbers), so that a difference
// between points is the parameters' and not the draw's.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "loader/sweep_spec.h"

namespace analysis {

// Sweeps above this many points are a typo, and point files are named by
// six digits.
inline constexpr std::size_t kMaxPoints = 1000000;

struct SweepDefinition {
  std::string scenario;             // the scenario's name
  std::uint64_t file_hash = 0;      // FNV-1a 64 of the scenario file's text
  std::vector<loader::SweepAxis> axes;
  int replications = 1;
  std::vector<std::string> variants;  // those that run, in file order
  std::uint64_t base_seed = 1;
  // For each axis (when not empty), the variants it does not reach: a variant
  // that replaces the list or value the axis's path goes through (a
  // `sequential` variant with threads of its own, under `threads.0.count`).
  // Their rows leave the axis's cell empty. Variants that run only.
  std::vector<std::vector<std::string>> unreached;

  // The number of points: the product of the axes' sizes (1 with no axis).
  std::size_t points() const;
  // The index of the value on each axis at point `index`.
  std::vector<std::size_t> coordinates(std::size_t index) const;
  std::uint64_t seed(int replication) const { return base_seed + static_cast<std::uint64_t>(replication); }
  bool reaches(std::size_t axis, const std::string& variant) const;
  // "runtime.switch_interval=10us, threads.0.count=2": a point for people.
  std::string describe_point(std::size_t index) const;
};

std::uint64_t fnv1a64(std::string_view text);

// manifest.json: every field of the definition, the number of points and the
// gilsim version (another version may simulate differently). Deterministic text.
std::string manifest_json(const SweepDefinition& definition);
// Reads a manifest back; throws std::runtime_error saying what is wrong with it.
SweepDefinition read_manifest(const std::string& text);
// The first field in which two manifests differ, as "replications: 3 there, 2
// here"; empty when they are equal.
std::string manifest_difference(const std::string& there, const std::string& here);

}  // namespace analysis
