#include "sim/output_file.h"

#include <doctest/doctest.h>
#include <sys/stat.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "tests/support/temp_dir.h"

namespace fs = std::filesystem;

using testing::read_text;
using testing::TempDir;

namespace {

}  // namespace

TEST_CASE("OutputFile: commit renames the temporary over the target") {
  TempDir dir;
  const fs::path target = dir.path() / "out.txt";
  {
    sim::OutputFile f(target.string());
    f.write("hello ");
    std::fprintf(f.stream(), "%d", 42);
    CHECK_FALSE(fs::exists(target));  // nothing visible before commit
    CHECK(dir.entries().size() == 1);  // the temporary, beside the target
    f.commit();
  }
  CHECK(read_text(target) == "hello 42");
  CHECK(dir.entries() == std::vector<std::string>{"out.txt"});
}

TEST_CASE("OutputFile: commit replaces an existing file") {
  TempDir dir;
  const fs::path target = dir.path() / "out.txt";
  std::ofstream(target) << "old contents";
  sim::OutputFile f(target.string());
  f.write("new");
  f.commit();
  CHECK(read_text(target) == "new");
  CHECK(dir.entries() == std::vector<std::string>{"out.txt"});
}

TEST_CASE("OutputFile: abandoning leaves the target untouched and no temporary") {
  TempDir dir;
  const fs::path target = dir.path() / "out.txt";
  std::ofstream(target) << "old contents";
  {
    sim::OutputFile f(target.string());
    f.write("half a fi");
  }
  CHECK(read_text(target) == "old contents");
  CHECK(dir.entries() == std::vector<std::string>{"out.txt"});

  {
    sim::OutputFile f((dir.path() / "never.txt").string());
    f.write("x");
  }
  CHECK(dir.entries() == std::vector<std::string>{"out.txt"});
}

TEST_CASE("OutputFile: an exception unwinding past it leaves nothing") {
  TempDir dir;
  try {
    sim::OutputFile f((dir.path() / "out.txt").string());
    f.write("partial");
    throw std::runtime_error("the run failed");
  } catch (const std::runtime_error&) {
  }
  CHECK(dir.entries().empty());
}

TEST_CASE("OutputFile: a missing directory is an error naming the path") {
  TempDir dir;
  const std::string target = (dir.path() / "no_such_dir" / "out.txt").string();
  try {
    sim::OutputFile f(target);
    FAIL("expected an exception");
  } catch (const std::runtime_error& e) {
    const std::string what = e.what();
    CHECK(what.find(target) != std::string::npos);
    CHECK(what.find("No such file or directory") != std::string::npos);
  }
}

TEST_CASE("OutputFile: the committed file gets the usual permissions, not mkstemp's 0600") {
  TempDir dir;
  const fs::path target = dir.path() / "out.txt";
  const mode_t mask = ::umask(0);
  ::umask(mask);
  sim::OutputFile f(target.string());
  f.commit();
  struct stat st {};
  REQUIRE(::stat(target.c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == (0666 & ~mask));
}

TEST_CASE("OutputFile: two files aimed at one target do not collide") {
  TempDir dir;
  const std::string target = (dir.path() / "out.txt").string();
  sim::OutputFile a(target), b(target);
  a.write("a");
  b.write("b");
  CHECK(dir.entries().size() == 2);
  b.commit();
  a.commit();
  CHECK(read_text(target) == "a");
  CHECK(dir.entries() == std::vector<std::string>{"out.txt"});
}

TEST_CASE("OutputFile: misuse and standard output") {
  TempDir dir;
  sim::OutputFile f((dir.path() / "out.txt").string());
  f.commit();
  f.commit();  // a second commit is harmless
  CHECK_THROWS_AS(f.write("late"), std::logic_error);

  sim::OutputFile out("-");
  CHECK(out.stream() == stdout);
  CHECK(out.path() == "-");
  out.commit();
}

TEST_CASE("output_target: devices, FIFOs and this process's descriptors are written in place") {
  CHECK(sim::output_target("/dev/null").direct);
  CHECK(sim::output_target("-").direct);
  CHECK(sim::output_target("/dev/stdout").direct);
  CHECK(sim::output_target("/dev/stdout").descriptor == 1);
  TempDir dir;
  REQUIRE(::mkfifo(dir.file("pipe").c_str(), 0600) == 0);
  CHECK(sim::output_target(dir.file("pipe")).direct);
  CHECK_FALSE(sim::output_target(dir.file("new.json")).direct);
}

TEST_CASE("output_target refuses a directory, a missing folder and a file as a folder, before anything is written") {
  TempDir dir;
  CHECK_THROWS_WITH_AS(sim::output_target(dir.path().string()),
                       doctest::Contains("Is a directory"), sim::OutputError);
  CHECK_THROWS_WITH_AS(sim::output_target(dir.file("missing/x.json")),
                       doctest::Contains("No such file or directory"), sim::OutputError);
  dir.write("file", "x");
  CHECK_THROWS_WITH_AS(sim::output_target(dir.file("file") + "/x.json"), doctest::Contains("Not a directory"),
                       sim::OutputError);
  CHECK_THROWS_AS(sim::OutputFile(dir.path().string()), sim::OutputError);
  CHECK(dir.entries() == std::vector<std::string>{"file"});
}

TEST_CASE("a symlink is followed: its target is replaced atomically, the link stays") {
  TempDir dir;
  fs::create_directory(dir.path() / "sub");
  dir.write("sub/real.json", "old");
  fs::create_symlink("sub/real.json", dir.path() / "link.json");
  fs::create_symlink("link.json", dir.path() / "link2.json");  // a chain
  {
    sim::OutputFile f(dir.file("link2.json"));
    f.write("new");
    // The temporary is beside the target, so that the rename is atomic there.
    CHECK(std::distance(fs::directory_iterator(dir.path() / "sub"), fs::directory_iterator{}) == 2);
    f.commit();
  }
  CHECK(fs::is_symlink(dir.path() / "link.json"));
  CHECK(fs::is_symlink(dir.path() / "link2.json"));
  CHECK(read_text(dir.file("sub/real.json")) == "new");
  // A dangling link is written through.
  fs::create_symlink("sub/made.json", dir.path() / "dangling.json");
  {
    sim::OutputFile f(dir.file("dangling.json"));
    f.write("made");
    f.commit();
  }
  CHECK(read_text(dir.file("sub/made.json")) == "made");
  fs::create_symlink("loop_b", dir.path() / "loop_a");
  fs::create_symlink("loop_a", dir.path() / "loop_b");
  CHECK_THROWS_WITH_AS(sim::output_target(dir.file("loop_a")), doctest::Contains("Too many levels of symbolic links"),
                       sim::OutputError);
}

TEST_CASE("a write error is an OutputError with the path and the system's reason") {
  auto write_full = [] {
    sim::OutputFile f("/dev/full");
    f.write(std::string(1 << 16, 'x'));  // more than stdio's buffer: fails here or at commit
    f.commit();
  };
  CHECK_THROWS_WITH_AS(write_full(), doctest::Contains("/dev/full: No space left on device"), sim::OutputError);
}
