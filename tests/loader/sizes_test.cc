// Sizes of data (`1KB`, `4MiB`) and their errors.
#include "loader/sizes.h"

#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "tests/loader/load_helpers.h"

using namespace load_helpers;

TEST_SUITE("sizes") {
  TEST_CASE("sizes: units, powers of 1000 and 1024, and errors") {
    const auto bytes = [](const std::string& size) {
      return compiled("      - {submit: tp, args: '" + size + "', run: [cpu: 1ms]}\n")[0].args_bytes;
    };
    CHECK(bytes("0B") == 0);
    CHECK(bytes("100B") == 100);
    CHECK(bytes("1KB") == 1000);
    CHECK(bytes("1.5KB") == 1500);
    CHECK(bytes("4 MB") == 4'000'000);
    CHECK(bytes("2GB") == 2'000'000'000);
    CHECK(bytes("1KiB") == 1024);
    CHECK(bytes("3MiB") == 3 * 1024 * 1024);
    CHECK(bytes("1GiB") == 1024 * 1024 * 1024);
    CHECK(bytes("1000GB") == 1'000'000'000'000);
    const auto error = [](const std::string& size) {
      return error_of(with_pools("      - {submit: tp, args: '" + size + "', run: [cpu: 1ms]}\n"));
    };
    CHECK(contains(error("100"), "t.yaml:12:28: error: missing unit in '100': write 100B, 100KB, 100MB or 100GB"));
    CHECK(contains(error("-1KB"), "a size cannot be negative: '-1KB'"));
    CHECK(contains(error("1001GB"), "size '1001GB' is too large: at most 1000GB (1 TB)"));
    CHECK(contains(error("1TB"), "unknown unit 'TB' in '1TB': the units are B, KB, MB, GB"));
    CHECK(contains(error("1kb"), "unknown unit 'kb' in '1kb'; did you mean 'KB'?"));
    CHECK(contains(error("1.5B"), "size '1.5B' is not a whole number of bytes"));
    CHECK(contains(error("big"), "expected a size like 100B, 1KB or 4MB, got 'big'"));
    CHECK_ERROR(with_pools("      - {submit: tp, result: [1KB], run: [cpu: 1ms]}\n"),
                "t.yaml:12:30: error: expected a size (like 1KB) for result of 'submit', got a list");
  }
}
