// The command line run in-process for tests: the arguments, the exit code,
// and what went to each stream; a fresh temporary directory per test.
#pragma once

#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "app/cli.h"
#include "tests/support/temp_dir.h"

namespace cli_harness {

namespace fs = std::filesystem;

struct Outcome {
  int code = -1;
  std::string out;
  std::string err;
};

// `err_is_tty`: as if standard error were a terminal (progress lines).
inline Outcome gilsim(std::vector<std::string> args, bool err_is_tty = false) {
  args.insert(args.begin(), "gilsim");
  std::vector<const char*> argv;
  for (const auto& a : args) argv.push_back(a.c_str());
  argv.push_back(nullptr);
  std::ostringstream out, err;
  Outcome o;
  o.code = app::main_cli(static_cast<int>(args.size()), argv.data(), app::Console{out, err, false, err_is_tty});
  o.out = out.str();
  o.err = err.str();
  return o;
}

inline bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

using testing::TempDir;  // a fresh directory per test (tests/temp_dir.h)

inline std::string read(const std::string& path) { return testing::read_text(path); }

}  // namespace cli_harness
