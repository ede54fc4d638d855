// A sweep's state directory: what makes a sweep resumable and shardable.
//
//   DIR/manifest.json          the sweep's definition (analysis/sweep_definition.h)
//   DIR/points/NNNNNN.json     one file per finished point: all its runs
//
// Every file is written to a temporary beside it and renamed when complete, so
// a sweep killed at any moment (SIGKILL included) leaves only whole point
// files, and a point file that exists is a point that is done. Several
// processes (shards under GNU parallel) may share one DIR: their files are
// per point, and they write the same manifest.
#pragma once

#include <cstddef>
#include <stdexcept>
#include <string>
#include <vector>

#include "analysis/sweep_definition.h"

namespace analysis {

// A sweep that cannot go on as asked (another sweep's DIR, missing points in
// a merge, an unreadable state file): exit code 2.
class SweepError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class SweepState {
 public:
  // For running `definition`: creates DIR and writes its manifest, or checks
  // that the manifest already there is the same sweep. A DIR that holds
  // files but no manifest is not a sweep's: refused, never written into.
  // Throws SweepError.
  static SweepState create_or_resume(const std::string& dir, const SweepDefinition& definition);
  // For merging: a DIR a sweep wrote. Throws SweepError.
  static SweepState existing(const std::string& dir);

  const std::string& dir() const { return dir_; }
  // Undoes create_or_resume when it made DIR and no point was written since
  // (a sweep whose points do not validate leaves nothing behind).
  void discard_if_new() const;
  const std::string& manifest() const { return manifest_; }
  std::string point_path(std::size_t point) const;
  bool has_point(std::size_t point) const;
  // Which of points 0..total-1 have their file, from one listing of
  // DIR/points (a million stat calls would take seconds).
  std::vector<bool> points_present(std::size_t total) const;
  // Atomically (temporary + rename).
  void write_point(std::size_t point, const std::string& json) const;
  // The point file's text; throws SweepError if it cannot be read.
  std::string read_point(std::size_t point) const;

 private:
  SweepState(std::string dir, std::string manifest, bool created = false);
  std::string dir_;
  std::string manifest_;
  bool created_ = false;  // by create_or_resume, with its points directory
};

// Held while a sweep runs in DIR (flock on DIR/.lock), so that two sweeps
// never run the same points in one folder at once: a whole sweep holds it
// alone; shards (`part` "K-of-N", empty for a whole sweep) share it, each
// holding its own DIR/.lock-K-of-N alone. A second sweep that finds it held
// stops with a SweepError at once; the kernel releases it when the process
// ends, however it ends.
class SweepLock {
 public:
  SweepLock(const std::string& dir, const std::string& part);
  ~SweepLock();
  SweepLock(const SweepLock&) = delete;
  SweepLock& operator=(const SweepLock&) = delete;

 private:
  int whole_ = -1;
  int part_ = -1;
};

// Writes `text` to `path` whole or not at all; throws SweepError.
void write_file_atomically(const std::string& path, const std::string& text);
// Throws SweepError if it cannot be read.
std::string read_file(const std::string& path);

}  // namespace analysis
