// `gilsim init`: the templates, embedded and shipped alike; the file it
// writes; what it refuses.
#include "app/init_templates.h"

#include <doctest/doctest.h>

#include <string>

#include "tests/app/cli_harness.h"

using namespace cli_harness;

TEST_CASE("init: the four templates, each embedded as templates/NAME.yaml ships it") {
  std::vector<std::string> names;
  for (const auto& t : app::init_templates()) {
    names.emplace_back(t.name());
    CHECK(std::string(t.text) == read(std::string(GILSIM_SOURCE_DIR) + "/" + std::string(t.path)));
  }
  CHECK(names == std::vector<std::string>{"asyncio-executor", "native-release-gil", "threads-vs-processes", "web-server"});
}

TEST_CASE("init --list: a line per template, its name first, with its summary; the default marked") {
  const auto o = gilsim({"init", "--list"});
  CHECK(o.code == 0);
  CHECK(o.out ==
        "asyncio-executor      asyncio tasks that await I/O and hand CPU work to an executor, as "
        "loop.run_in_executor(pool, f) and asyncio.to_thread(f) do.\n"
        "native-release-gil    threads calling C code that releases the GIL (NumPy, hashlib, zlib), beside C code "
        "that keeps it.\n"
        "threads-vs-processes  (default) the same CPU-bound work done by one thread, by four threads and by a pool "
        "of four processes.\n"
        "web-server            an API under load, served by a threaded server (gunicorn --threads 8) and by one "
        "asyncio event loop (uvicorn).\n");
}

TEST_CASE("init: writes the template to --out, which then checks and runs with every expectation holding") {
  TempDir dir;
  const std::string file = dir.file("mine.yaml");
  const auto o = gilsim({"init", "native-release-gil", "--out", file});
  CHECK(o.code == 0);
  CHECK(contains(o.err, "run it with: gilsim run " + file));
  for (const auto& t : app::init_templates())
    if (t.name() == "native-release-gil") CHECK(read(file) == std::string(t.text));
  CHECK(gilsim({"check", file}).code == 0);
  const auto run = gilsim({"run", file});
  CHECK(run.code == 0);
  CHECK(contains(run.out, "expectations: 3 of 3 hold"));
}

TEST_CASE("init: the default template, and '-' for standard output") {
  const auto o = gilsim({"init", "--out", "-"});
  CHECK(o.code == 0);
  CHECK(o.out.rfind("# A starter scenario from `gilsim init threads-vs-processes`", 0) == 0);
  CHECK(o.err.empty());
}

TEST_CASE("init: never overwrites, names unknown templates with did-you-mean, takes no run options") {
  TempDir dir;
  const std::string file = dir.write("mine.yaml", "name: mine\n");
  const auto exists = gilsim({"init", "--out", file});
  CHECK(exists.code == 2);
  CHECK(contains(exists.err, file + " exists: gilsim init does not overwrite a file"));
  CHECK(read(file) == "name: mine\n");

  const auto unknown = gilsim({"init", "web-sever", "--out", dir.file("x.yaml")});
  CHECK(unknown.code == 2);
  CHECK(contains(unknown.err, "unknown template 'web-sever'; did you mean 'web-server'? (templates: asyncio-executor, "
                              "native-release-gil, threads-vs-processes, web-server)"));
  CHECK(gilsim({"init", "a", "b"}).code == 2);
  CHECK(contains(gilsim({"init", "--seed", "3"}).err, "'init' takes only TEMPLATE, --out FILE and --list"));
  CHECK(contains(gilsim({"init", "web-server", "--list"}).err, "init --list takes no TEMPLATE and no --out"));
  CHECK(contains(gilsim({"run", "x.yaml", "--list"}).err, "--list applies to 'init'"));
  CHECK(dir.count() == 1);
}
