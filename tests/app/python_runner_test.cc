// Running the validation programs (app/python_runner.cc): output and exit
// codes captured, a program that runs too long killed with its children, the
// programs' folder found.
#include <doctest/doctest.h>

#include <stdlib.h>

#include <filesystem>
#include <fstream>

#include "app/python_runner.h"
#include "tests/support/temp_dir.h"

TEST_CASE("python_runner: standard output, standard error and the exit code") {
  const auto run = app::run_program({"/bin/sh", "-c", "echo one; echo two; echo oops >&2; exit 3"}, 30);
  CHECK(run.exit_code == 3);
  CHECK_FALSE(run.timed_out);
  CHECK(run.out == "one\ntwo\n");
  CHECK(run.err == "oops\n");
  CHECK(app::last_line(run.out) == "two");
  CHECK(app::last_line("a\n\n  \nb\n\n") == "b");
  CHECK(app::last_line("") == "");
}

TEST_CASE("python_runner: a program past its time is killed, with its children") {
  // The child's own child holds the pipe open: only killing the group ends it.
  // (No claim on how fast: only that it ends, killed, long before 30 s.)
  const auto run = app::run_program({"/bin/sh", "-c", "sleep 30 & wait"}, 0.5);
  CHECK(run.timed_out);
  CHECK(run.exit_code == 128 + 9);
}

TEST_CASE("python_runner: a program that cannot start exits 127 with the reason") {
  const auto run = app::run_program({"/nonexistent/python"}, 30);
  CHECK(run.exit_code == 127);
  CHECK(run.err.find("cannot run /nonexistent/python") != std::string::npos);
}

TEST_CASE("python_runner: GILSIM_DATA_DIR/validation comes first") {
  testing::TempDir dir;
  std::filesystem::create_directories(dir.path() / "validation");
  std::ofstream(dir.path() / "validation" / "vlib.py") << "# test\n";
  ::setenv("GILSIM_DATA_DIR", dir.path().c_str(), 1);
  const std::string found = app::validation_dir();
  ::unsetenv("GILSIM_DATA_DIR");
  CHECK(found == (dir.path() / "validation").string());
  // Without it, the source tree's (this is a build tree's test binary).
  CHECK(std::filesystem::exists(std::filesystem::path(app::validation_dir()) / "countdown.py"));
}

TEST_CASE("python_runner: the machine's CPUs and load") {
  CHECK(app::online_cpus() >= 1);
  CHECK(app::load_average() >= 0);  // Linux has /proc/loadavg
}
