// The extensions an output file's name may have, by its format: `--svg
// out.png` is refused before anything runs rather than writing SVG into a
// file every viewer will misread. A name without an extension (/dev/null,
// a FIFO) and '-' (standard output) are accepted.
#pragma once

#include <string>
#include <vector>

namespace app {

struct OutputFormat {
  const char* format;                   // "SVG"
  std::vector<std::string> extensions;  // {".svg"}
};

// The format that `option` writes: --json and --trace (a Chrome trace is
// JSON) .json; --csv .csv; --svg .svg; init's --out (named "init --out")
// .yaml or .yml. Null for an option that names no file of one format.
const OutputFormat* output_format(const std::string& option);

// Throws usage_error when `path`'s file name has an extension that `option`'s
// format does not take ("--svg writes SVG: its name must end in .svg ...").
void check_output_name(const std::string& option, const std::string& path);

}  // namespace app
