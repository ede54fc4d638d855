// libFuzzer target: an `expect` expression's text through the parser, then
// its paths and its value (fuzz/README.md). An InputError is a good answer;
// anything else that escapes, a crash or a sanitizer report is a finding.
#include <cstddef>
#include <cstdint>
#include <string>

#include "loader/expr.h"
#include "loader/input_error.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  try {
    const loader::Expr e = loader::Expr::parse(text, loader::SourcePos{"fuzz.yaml", 1, 1}, text);
    (void)e.paths();
    double sum = 0;
    (void)e.evaluate([&](const std::string& path) { return sum += static_cast<double>(path.size()); });
  } catch (const loader::InputError&) {
  }
  return 0;
}
