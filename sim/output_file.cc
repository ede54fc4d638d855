#include "sim/output_file.h"

#include <fcntl.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <stdexcept>

namespace sim {

namespace {

[[noreturn]] void fail(const std::string& what, const std::string& path, int err) {
  throw std::runtime_error(what + " " + path + ": " + std::strerror(err));
}

// Two OutputFiles of one process may aim at the same target; the counter keeps
// their temporaries apart, and O_EXCL keeps us off anybody else's file.
std::atomic<unsigned> temp_counter{0};

}  // namespace

OutputFile::OutputFile(std::string path) : path_(std::move(path)) {
  if (path_ == "-") {
    file_ = stdout;
    to_stdout_ = true;
    return;
  }
  // The temporary lives beside the target so that rename() is atomic (same
  // file system) and a failure leaves nothing but, at worst, a dot-file.
  const auto slash = path_.rfind('/');
  const std::string dir = slash == std::string::npos ? "" : path_.substr(0, slash + 1);
  const std::string base = slash == std::string::npos ? path_ : path_.substr(slash + 1);
  int fd = -1;
  for (int attempt = 0; attempt < 100 && fd < 0; ++attempt) {
    temp_path_ = dir + "." + base + ".tmp." + std::to_string(::getpid()) + "." +
                 std::to_string(temp_counter.fetch_add(1));
    // Mode 0666 lets the umask decide, as for any file the user creates
    // (mkstemp would force 0600 onto the final file).
    fd = ::open(temp_path_.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
    if (fd < 0 && errno != EEXIST) fail("cannot create", path_, errno);
  }
  if (fd < 0) fail("cannot create", path_, EEXIST);
  file_ = ::fdopen(fd, "wb");
  if (!file_) {
    const int err = errno;
    ::close(fd);
    ::unlink(temp_path_.c_str());
    fail("cannot open", path_, err);
  }
}

OutputFile::~OutputFile() {
  if (to_stdout_) {
    std::fflush(stdout);
    return;
  }
  if (!committed_ && file_) {
    std::fclose(file_);
    ::unlink(temp_path_.c_str());
  }
}

void OutputFile::write(std::string_view bytes) {
  if (!file_) throw std::logic_error("OutputFile::write after commit: " + path_);
  if (bytes.empty()) return;
  // Reported now rather than at commit: a full disk should stop a long run early.
  if (std::fwrite(bytes.data(), 1, bytes.size(), file_) != bytes.size())
    fail("cannot write", path_, errno);
}

void OutputFile::commit() {
  if (committed_) return;
  if (to_stdout_) {
    if (std::fflush(stdout) != 0 || std::ferror(stdout)) fail("cannot write", path_, errno);
    committed_ = true;
    return;
  }
  std::FILE* f = file_;
  file_ = nullptr;  // closed below whatever happens; the temp is unlinked on failure
  const bool write_error = std::fflush(f) != 0 || std::ferror(f);
  int err = errno;
  const bool close_error = std::fclose(f) != 0;
  if (close_error && !write_error) err = errno;
  if (write_error || close_error) {
    ::unlink(temp_path_.c_str());
    fail("cannot write", path_, err);
  }
  if (std::rename(temp_path_.c_str(), path_.c_str()) != 0) {
    err = errno;
    ::unlink(temp_path_.c_str());
    fail("cannot rename temporary file to", path_, err);
  }
  committed_ = true;
}

}  // namespace sim
