// An output file that is written whole or not at all: bytes go to a temporary
// file beside the target, which commit() renames over the target. If the
// object is destroyed without commit() (an error, an exception), the temporary
// is removed and the target is untouched. The path "-" means standard output.
#pragma once

#include <cstdio>
#include <string>
#include <string_view>

namespace sim {

class OutputFile {
 public:
  // Opens the temporary. Throws std::runtime_error with the path and errno
  // text if it cannot be created (e.g. a missing directory).
  explicit OutputFile(std::string path);
  ~OutputFile();
  OutputFile(const OutputFile&) = delete;
  OutputFile& operator=(const OutputFile&) = delete;

  void write(std::string_view bytes);
  std::FILE* stream() { return file_; }  // buffered; for fast formatted writes
  // Flushes, closes and renames. Throws std::runtime_error on a write error.
  void commit();
  const std::string& path() const { return path_; }

 private:
  std::string path_;
  std::string temp_path_;
  std::FILE* file_ = nullptr;
  bool to_stdout_ = false;
  bool committed_ = false;
};

}  // namespace sim
