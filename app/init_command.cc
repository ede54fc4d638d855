// `gilsim init [TEMPLATE] [--out FILE] [--list]`: writes a starter scenario
// (docs/init-templates.md).
#include <algorithm>
#include <filesystem>
#include <string>

#include "app/commands.h"
#include "app/init_templates.h"
#include "loader/did_you_mean.h"

namespace app {

namespace {

constexpr const char* kDefaultTemplate = "threads-vs-processes";

const InitTemplate* find_template(const std::string& name) {
  for (const auto& t : init_templates())
    if (t.name() == name) return &t;
  return nullptr;
}

std::vector<std::string> template_names() {
  std::vector<std::string> names;
  for (const auto& t : init_templates()) names.emplace_back(t.name());
  return names;
}

// The template's first sentence after "init NAME`: " in its heading comment.
std::string summary(const InitTemplate& t) {
  std::string heading;  // the comment lines at the top, joined
  const std::string text(t.text);
  for (std::size_t at = 0; text.compare(at, 2, "# ") == 0;) {
    const auto end = text.find('\n', at);
    if (end == std::string::npos) break;
    if (!heading.empty()) heading += ' ';
    heading += text.substr(at + 2, end - at - 2);
    at = end + 1;
  }
  const auto start = heading.find("`: ");
  if (start == std::string::npos) return {};
  heading += ' ';
  const auto stop = heading.find(". ", start);  // a sentence ends at a full stop and a space
  return heading.substr(start + 3, stop == std::string::npos ? std::string::npos : stop + 1 - start - 3);
}

}  // namespace

int cmd_init(const Args& a, const Console& c) {
  if (a.list) {
    // One line each, the name first (bash completion takes the first word).
    std::size_t width = 0;
    for (const auto& t : init_templates()) width = std::max(width, t.name().size());
    for (const auto& t : init_templates())
      c.out << t.name() << std::string(width + 2 - t.name().size(), ' ')
            << (t.name() == kDefaultTemplate ? "(default) " : "") << summary(t) << "\n";
    return kExitOk;
  }
  const std::string name = a.files.empty() ? kDefaultTemplate : a.files[0];
  const InitTemplate* t = find_template(name);
  if (!t) {
    const auto names = template_names();
    std::string list;
    for (const auto& n : names) list += (list.empty() ? "" : ", ") + n;
    throw request_error("unknown template '" + name + "'" + loader::did_you_mean(name, names) +
                        " (templates: " + list + ")");
  }
  const std::string out = a.out_dir.empty() ? name + ".yaml" : a.out_dir;
  if (out == "-") {
    c.out << t->text;
    return kExitOk;
  }
  // A starter never replaces a scenario someone has written.
  std::error_code ec;
  if (std::filesystem::exists(out, ec))
    throw request_error(out + " exists: gilsim init does not overwrite a file (choose another --out)");
  ResultsOutput(out, c.out).write(std::string(t->text));
  c.err << "gilsim: wrote " << out << " (template " << name << "); run it with: gilsim run " << out << "\n";
  return kExitOk;
}

}  // namespace app
