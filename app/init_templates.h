// The starter scenarios of `gilsim init` (templates/*.yaml), compiled into the
// binary by CMake so that `gilsim init` works from anywhere.
#pragma once

#include <string_view>
#include <vector>

namespace app {

struct InitTemplate {
  std::string_view path;  // "templates/threads-vs-processes.yaml"
  std::string_view text;
  // The name `gilsim init` takes: "threads-vs-processes".
  std::string_view name() const {
    std::string_view n = path.substr(path.find('/') + 1);
    return n.substr(0, n.rfind('.'));
  }
};

// In name order.
const std::vector<InitTemplate>& init_templates();

}  // namespace app
