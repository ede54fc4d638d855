#include "app/output_names.h"

#include <algorithm>

#include "app/commands.h"

namespace app {

const OutputFormat* output_format(const std::string& option) {
  static const OutputFormat json{"JSON", {".json"}}, csv{"CSV", {".csv"}}, svg{"SVG", {".svg"}},
      yaml{"a scenario (YAML)", {".yaml", ".yml"}}, profile{"a profile (YAML)", {".yaml", ".yml"}};
  if (option == "--json" || option == "--trace") return &json;
  if (option == "--csv") return &csv;
  if (option == "--svg") return &svg;
  if (option == "init --out") return &yaml;
  if (option == "calibrate --out") return &profile;
  return nullptr;
}

void check_output_name(const std::string& option, const std::string& path) {
  const OutputFormat* f = output_format(option);
  if (!f || path.empty() || path == "-") return;
  const auto slash = path.find_last_of('/');
  const std::string name = path.substr(slash == std::string::npos ? 0 : slash + 1);
  const auto dot = name.find_last_of('.');
  if (dot == std::string::npos || dot == 0) return;  // no extension: /dev/null, a FIFO, .hidden
  if (std::find(f->extensions.begin(), f->extensions.end(), name.substr(dot)) != f->extensions.end()) return;
  std::string list;
  for (const auto& e : f->extensions) list += (list.empty() ? "" : " or ") + e;
  const auto space = option.find(' ');  // "init --out": the option is --out
  const std::string shown = space == std::string::npos ? option : option.substr(space + 1);
  throw usage_error(shown + " writes " + f->format + ": its name must end in " + list +
                    " (or be '-' for standard output), not '" + path + "'");
}

}  // namespace app
