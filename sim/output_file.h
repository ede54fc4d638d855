// An output file that is written whole or not at all: bytes go to a temporary
// file beside the target, which commit() renames over the target. If the
// object is destroyed without commit() (an error, an exception, Ctrl-C), the
// temporary is removed and the target is untouched.
//
// What PATH is decides how it is written (output_target()):
//   "-"                          standard output, written directly
//   a character device, a FIFO   written directly (/dev/null, a terminal, a
//   or /proc/.../fd/N            pipe, /dev/stdout): nothing to rename over,
//                                and replacing one with a file would destroy it
//   a symbolic link              followed: its final target is written as
//                                below, atomically there; the link stays
//   a regular file, or nothing   a temporary beside it, renamed over it
//   a directory, anything else   refused (OutputError): never replaced
//   (a socket, a block device)
#pragma once

#include <cstdio>
#include <stdexcept>
#include <string>
#include <string_view>

namespace sim {

// An output path that cannot be written, or a write that failed (a full
// disk, a closed pipe): the message names the path and the system's reason.
// The user's problem, not gilsim's: the commands exit with code 2.
class OutputError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct OutputTarget {
  std::string path;     // where the bytes go: PATH, or its symlink's final target
  bool direct = false;  // written in place (standard output, devices, FIFOs)
  // /proc/self/fd/N, /dev/fd/N (where /dev/stdout leads): this process's own
  // descriptor N, written through a duplicate of it, sharing its offset with
  // whoever else writes there (a shell's `2>file`); -1 otherwise.
  int descriptor = -1;
};

// How `path` would be written, checked without writing anything: throws
// OutputError for a directory, a file that is neither regular nor a
// character device or FIFO, a missing or unwritable folder, a symlink loop.
// Commands call it for every output before a run, so that a bad path fails
// before the work rather than after it.
OutputTarget output_target(const std::string& path);

class OutputFile {
 public:
  // Opens the temporary (or the device). Throws OutputError with the path
  // and the system's reason if it cannot.
  explicit OutputFile(std::string path);
  ~OutputFile();
  OutputFile(const OutputFile&) = delete;
  OutputFile& operator=(const OutputFile&) = delete;

  void write(std::string_view bytes);
  std::FILE* stream() { return file_; }  // buffered; for fast formatted writes
  // Flushes, closes and renames. Throws OutputError on a write error.
  void commit();
  const std::string& path() const { return path_; }

 private:
  std::string path_;       // as given, for messages
  std::string target_;     // where the bytes go
  std::string temp_path_;  // empty when written directly
  std::FILE* file_ = nullptr;
  bool to_stdout_ = false;
  bool committed_ = false;
};

}  // namespace sim
