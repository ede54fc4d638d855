// The versions table: which GIL protocol and costs each Python has.
#include "models/python_versions.h"

#include <doctest/doctest.h>

#include <set>
#include <stdexcept>
#include <string>

#include "models/gil_protocol.h"

using models::find_python_version;
using models::resolve_runtime;

TEST_CASE("every version of the table has a protocol; names are unique; free-threaded builds can enable a GIL") {
  std::set<std::string> names;
  for (const models::PythonVersion& v : models::python_versions()) {
    CHECK(names.insert(v.name).second);
    REQUIRE(v.gil != nullptr);
    CHECK(static_cast<bool>(v.gil->make));
    CHECK(find_python_version(v.name) == &v);
    if (v.free_threaded) {
      CHECK_FALSE(v.gil->serialises);
      REQUIRE(v.gil_enabled != nullptr);
      CHECK(v.gil_enabled->serialises);
      CHECK(v.cpu_overhead > 1.0);
    } else {
      CHECK(v.gil->serialises);
      CHECK(v.cpu_overhead == 1.0);
    }
  }
  CHECK(find_python_version("3.15") == nullptr);
  CHECK(find_python_version("3.02") == nullptr);
  CHECK(find_python_version("") == nullptr);
}

TEST_CASE("the GIL by version: the ticker up to 3.1, ceval_gil.c from 3.2, none in 3.13t/3.14t") {
  CHECK(find_python_version("2.7")->gil->name == std::string("old GIL"));
  CHECK(find_python_version("3.1")->gil->name == std::string("old GIL"));
  CHECK(find_python_version("3.2")->gil->name == std::string("new GIL"));
  CHECK(find_python_version("3.14")->gil->name == std::string("new GIL"));
  CHECK(find_python_version("3.13t")->gil->name == std::string("no GIL"));
  CHECK(find_python_version("3.10")->minor == 10);
}

TEST_CASE("resolving a runtime: PYTHON_GIL=1 on a free-threaded build, the CPU overhead and its override") {
  models::RuntimeConfig r;
  r.python = "3.13t";
  CHECK(resolve_runtime(r).gil->name == std::string("no GIL"));
  CHECK(resolve_runtime(r).cpu_overhead == doctest::Approx(1.40));
  r.gil_enabled = true;
  CHECK(resolve_runtime(r).gil->name == std::string("new GIL"));
  CHECK(resolve_runtime(r).cpu_overhead == doctest::Approx(1.40));  // the build's, GIL or not
  r.cpu_overhead = 1.2;
  CHECK(resolve_runtime(r).cpu_overhead == doctest::Approx(1.2));
  r.python = "3.16";
  CHECK_THROWS_AS(resolve_runtime(r), std::invalid_argument);
}

TEST_CASE("the valid names, as a message lists them: runs of versions, grouped by GIL") {
  CHECK(models::python_version_names() ==
        "\"2.0\" .. \"2.7\", \"2.x\", \"3.0\", \"3.1\" (old GIL), \"3.2\" .. \"3.14\" (new GIL), \"3.13t\", \"3.14t\" "
        "(free-threaded)");
}
