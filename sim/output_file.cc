#include "sim/output_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>

namespace sim {

namespace {

[[noreturn]] void fail(const std::string& what, const std::string& path, int err) {
  throw OutputError(what + " " + path + ": " + std::strerror(err));
}

// Two OutputFiles of one process may aim at the same target; the counter keeps
// their temporaries apart, and O_EXCL keeps us off anybody else's file.
std::atomic<unsigned> temp_counter{0};

std::string folder_of(const std::string& path) {
  const auto slash = path.rfind('/');
  if (slash == std::string::npos) return ".";
  return slash == 0 ? "/" : path.substr(0, slash);
}

bool starts_with(const std::string& s, const char* prefix) { return s.rfind(prefix, 0) == 0; }

// N of /proc/self/fd/N or /dev/fd/N, or -1.
int own_descriptor(const std::string& path) {
  for (const char* prefix : {"/proc/self/fd/", "/dev/fd/"}) {
    if (!starts_with(path, prefix)) continue;
    const std::string n = path.substr(std::strlen(prefix));
    if (n.empty() || n.size() > 6 || n.find_first_not_of("0123456789") != std::string::npos) return -1;
    return std::stoi(n);
  }
  return -1;
}

// The folder a new file would go in must exist and take new files.
void check_folder(const std::string& shown, const std::string& target) {
  const std::string folder = folder_of(target);
  struct stat st {};
  if (::stat(folder.c_str(), &st) != 0) fail("cannot write", shown, errno);
  if (!S_ISDIR(st.st_mode)) fail("cannot write", shown, ENOTDIR);
  if (::access(folder.c_str(), W_OK | X_OK) != 0) fail("cannot write", shown, errno);
}

}  // namespace

OutputTarget output_target(const std::string& path) {
  if (path == "-") return OutputTarget{path, true};
  std::string target = path;
  // Follow symbolic links by hand to their final target, which may not exist
  // yet (a dangling link is written through, as a shell's `>` would).
  for (int hops = 0;; ++hops) {
    // /proc/self/fd/N (/dev/stdout, /dev/fd/N lead there) is an open file of
    // this process: a pipe, a terminal, or a file the shell opened, which
    // renaming over would detach from the shell. Written in place.
    if (starts_with(target, "/proc/") || starts_with(target, "/dev/fd/")) {
      struct stat st {};
      if (::stat(target.c_str(), &st) == 0 && S_ISDIR(st.st_mode)) fail("cannot write", path, EISDIR);
      return OutputTarget{target, true, own_descriptor(target)};
    }
    struct stat st {};
    if (::lstat(target.c_str(), &st) != 0) {
      if (errno != ENOENT) fail("cannot write", path, errno);
      check_folder(path, target);
      return OutputTarget{target, false};
    }
    if (S_ISLNK(st.st_mode)) {
      if (hops >= 40) fail("cannot write", path, ELOOP);
      char buf[4096];
      const ssize_t n = ::readlink(target.c_str(), buf, sizeof buf - 1);
      if (n < 0) fail("cannot write", path, errno);
      const std::string link(buf, static_cast<std::size_t>(n));
      target = link.front() == '/' ? link : folder_of(target) + "/" + link;
      continue;
    }
    if (S_ISDIR(st.st_mode)) fail("cannot write", path, EISDIR);
    if (S_ISCHR(st.st_mode) || S_ISFIFO(st.st_mode)) return OutputTarget{target, true};
    if (!S_ISREG(st.st_mode))
      throw OutputError("cannot write " + path +
                        ": not a regular file, a character device or a FIFO (gilsim never replaces one)");
    check_folder(path, target);
    return OutputTarget{target, false};
  }
}

OutputFile::OutputFile(std::string path) : path_(std::move(path)) {
  const OutputTarget t = output_target(path_);
  target_ = t.path;
  if (path_ == "-") {
    file_ = stdout;
    to_stdout_ = true;
    return;
  }
  if (t.direct) {
    // No O_TRUNC: a device has nothing to truncate, and a FIFO's reader
    // must see the bytes. O_NONBLOCK is not used: a FIFO waits for its reader.
    // Another process's descriptor (/proc/PID/fd/N) is appended to.
    const int fd = t.descriptor >= 0 ? ::fcntl(t.descriptor, F_DUPFD_CLOEXEC, 0)
                                     : ::open(target_.c_str(), O_WRONLY | O_APPEND | O_CLOEXEC);
    if (fd < 0) fail("cannot open", path_, errno);
    file_ = ::fdopen(fd, "wb");
    if (!file_) {
      const int err = errno;
      ::close(fd);
      fail("cannot open", path_, err);
    }
    return;
  }
  // The temporary lives beside the target so that rename() is atomic (same
  // file system) and a failure leaves nothing but, at worst, a dot-file.
  const auto slash = target_.rfind('/');
  const std::string dir = slash == std::string::npos ? "" : target_.substr(0, slash + 1);
  const std::string base = slash == std::string::npos ? target_ : target_.substr(slash + 1);
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
    if (!temp_path_.empty()) ::unlink(temp_path_.c_str());
  }
}

void OutputFile::write(std::string_view bytes) {
  if (!file_) throw std::logic_error("OutputFile::write after commit: " + path_);
  if (bytes.empty()) return;
  // Reported now rather than at commit: a full disk should stop a long run early.
  if (std::fwrite(bytes.data(), 1, bytes.size(), file_) != bytes.size())
    fail("cannot write", to_stdout_ ? "standard output" : path_, errno);
}

void OutputFile::commit() {
  if (committed_) return;
  if (to_stdout_) {
    if (std::fflush(stdout) != 0 || std::ferror(stdout)) fail("cannot write", "standard output", errno);
    committed_ = true;
    return;
  }
  std::FILE* f = file_;
  file_ = nullptr;  // closed below whatever happens; the temp is unlinked on failure
  errno = 0;
  const bool write_error = std::fflush(f) != 0 || std::ferror(f);
  int err = errno != 0 ? errno : EIO;
  const bool close_error = std::fclose(f) != 0;
  if (close_error && !write_error) err = errno;
  if (write_error || close_error) {
    if (!temp_path_.empty()) ::unlink(temp_path_.c_str());
    fail("cannot write", path_, err);
  }
  if (!temp_path_.empty() && std::rename(temp_path_.c_str(), target_.c_str()) != 0) {
    err = errno;
    ::unlink(temp_path_.c_str());
    fail("cannot rename temporary file to", path_, err);
  }
  committed_ = true;
}

}  // namespace sim
