#include "analysis/sweep_state.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <utility>

#include "sim/output_file.h"

namespace analysis {

namespace fs = std::filesystem;

namespace {

std::string manifest_path(const std::string& dir) { return dir + "/manifest.json"; }

}  // namespace

void write_file_atomically(const std::string& path, const std::string& text) {
  try {
    sim::OutputFile f(path);
    f.write(text);
    f.commit();
  } catch (const std::runtime_error& e) {
    throw SweepError(e.what());
  }
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw SweepError("cannot read " + path + ": " + std::strerror(errno));
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) throw SweepError("cannot read " + path + ": " + std::strerror(errno));
  return text.str();
}

SweepState::SweepState(std::string dir, std::string manifest, bool created)
    : dir_(std::move(dir)), manifest_(std::move(manifest)), created_(created) {}

void SweepState::discard_if_new() const {
  if (!created_) return;
  std::error_code ec;
  // Each remove fails, harmlessly, if something else is there now (a shard
  // sharing DIR has written a point).
  fs::remove(dir_ + "/points", ec);
  if (ec) return;
  fs::remove(manifest_path(dir_), ec);
  // Our lock files (SweepLock): removing one that is held is harmless, the
  // holder keeps its descriptor.
  for (const auto& entry : fs::directory_iterator(dir_, ec))
    if (entry.path().filename().string().rfind(".lock", 0) == 0) fs::remove(entry.path(), ec);
  fs::remove(dir_, ec);
}

SweepState SweepState::create_or_resume(const std::string& dir, const SweepDefinition& definition) {
  const std::string manifest = manifest_json(definition);
  std::error_code ec;
  // Somebody's folder (not a sweep's: no manifest) would get points/ and
  // results.csv written over what is there. Only an empty points/ (a sweep
  // stopped before its manifest) and our lock files may be there.
  if (fs::is_directory(dir, ec) && !fs::exists(manifest_path(dir), ec)) {
    for (const auto& entry : fs::directory_iterator(dir, ec)) {
      const std::string name = entry.path().filename().string();
      if (name.rfind(".lock", 0) == 0) continue;
      if (name == "points" && fs::is_empty(entry.path(), ec)) continue;
      throw SweepError(dir + " is not empty and is not a sweep's state directory (it has no manifest.json): "
                       "gilsim sweep would write points/ and results.csv into it; pick another --out DIR");
    }
  }
  const bool created = !fs::exists(dir, ec);
  fs::create_directories(dir + "/points", ec);
  if (ec) throw SweepError("cannot create the sweep directory " + dir + ": " + ec.message());
  const std::string path = manifest_path(dir);
  if (fs::exists(path, ec)) {
    const std::string difference = manifest_difference(read_file(path), manifest);
    if (!difference.empty())
      throw SweepError(dir + " holds another sweep (" + difference +
                       "); pick another --out DIR, or delete " + dir + " to start over");
  } else {
    // Shards sharing DIR may race here; they write the same text, and the
    // rename makes either one the whole file.
    write_file_atomically(path, manifest);
  }
  return SweepState(dir, manifest, created);
}

SweepState SweepState::existing(const std::string& dir) {
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) throw SweepError(dir + ": no such sweep directory");
  if (!fs::exists(manifest_path(dir), ec))
    throw SweepError(dir + " is not a sweep directory: it has no manifest.json");
  return SweepState(dir, read_file(manifest_path(dir)));
}

namespace {

// An open lock file of DIR, locked as asked without waiting; -1 on failure.
int lock_file(const std::string& path, int how) {
  const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0666);
  if (fd < 0) throw SweepError("cannot open the lock file " + path + ": " + std::strerror(errno));
  if (::flock(fd, how | LOCK_NB) != 0) {
    ::close(fd);
    return -1;
  }
  return fd;
}

}  // namespace

SweepLock::SweepLock(const std::string& dir, const std::string& part) {
  const auto busy = [&](const std::string& what) {
    return SweepError("another gilsim sweep is running " + what + "in " + dir +
                      " (it holds its lock); wait for it to end, or pick another --out DIR");
  };
  whole_ = lock_file(dir + "/.lock", part.empty() ? LOCK_EX : LOCK_SH);
  if (whole_ < 0) throw busy(part.empty() ? "" : "(not as shards) ");
  if (part.empty()) return;
  part_ = lock_file(dir + "/.lock-" + part, LOCK_EX);
  if (part_ < 0) {
    ::close(whole_);
    throw busy("shard " + part + " ");
  }
}

SweepLock::~SweepLock() {
  if (part_ >= 0) ::close(part_);
  if (whole_ >= 0) ::close(whole_);
}

std::string SweepState::point_path(std::size_t point) const {
  char name[32];
  std::snprintf(name, sizeof name, "%06zu.json", point);
  return dir_ + "/points/" + name;
}

bool SweepState::has_point(std::size_t point) const {
  std::error_code ec;
  return fs::exists(point_path(point), ec);
}

std::vector<bool> SweepState::points_present(std::size_t total) const {
  std::vector<bool> present(total, false);
  std::error_code ec;
  for (fs::directory_iterator it(dir_ + "/points", ec), end; !ec && it != end; it.increment(ec)) {
    // NNNNNN.json, as point_path names them; temporaries are dot-files.
    const std::string name = it->path().filename().string();
    if (name.size() != 11 || name.compare(6, 5, ".json") != 0) continue;
    std::size_t p = 0;
    bool digits = true;
    for (std::size_t i = 0; i < 6; ++i) {
      digits = digits && name[i] >= '0' && name[i] <= '9';
      p = p * 10 + static_cast<std::size_t>(name[i] - '0');
    }
    if (digits && p < total) present[p] = true;
  }
  return present;
}

void SweepState::write_point(std::size_t point, const std::string& json) const {
  write_file_atomically(point_path(point), json);
}

std::string SweepState::read_point(std::size_t point) const { return read_file(point_path(point)); }

}  // namespace analysis
