// `gilsim COMMAND --help`: each command's usage, what it does, its options
// with one line each, and an example; and each command's option names, the
// vocabulary of its "did you mean" (an option of another command is not a
// likely slip). `fit` and `saturation` print their own (app/fit_command.h).
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace app {

struct CommandOption {
  const char* name;   // "--seed"
  const char* value;  // "N", or "" for a flag
  const char* doc;
};

struct CommandHelp {
  const char* name;     // "run"
  const char* usage;    // "gilsim run FILE... [options]"
  const char* summary;  // what it does, a few lines
  std::vector<CommandOption> options;
  const char* example;  // command lines, one per line
};

// The help of `command` (one of run, check, claims, sweep, merge, init), or null.
const CommandHelp* command_help(std::string_view command);

// The text `gilsim COMMAND --help` prints.
std::string command_help_text(const CommandHelp& help);

// The option names of `command` ("--seed", ...), with --help; every option of
// every command for an unknown command.
std::vector<std::string> command_option_names(std::string_view command);

}  // namespace app
