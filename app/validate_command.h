// `gilsim validate` and `gilsim calibrate` (docs/validation.md,
// docs/commands.md): real Python programs (validation/*.py) run with the
// interpreters given, against gilsim's twins of them (validate), or fitted
// into a machine profile (calibrate). Both have options of their own, as
// `fit` does.
//
//   gilsim validate --profile FILE [--python PATH]... [--repeat N] [--json OUT]
//                   [--record FILE] [--replay FILE]
//   gilsim calibrate [--python PATH]... [--rounds N] [--out FILE] [--name NAME]
//                    [--record FILE] [--replay FILE]
#pragma once

#include "app/cli.h"

namespace app {

// argv[0] is "validate" / "calibrate". Usage errors throw
// boost::program_options::error or CliError (exit 2).
int run_validate_command(int argc, const char* const* argv, const Console& console);
int run_calibrate_command(int argc, const char* const* argv, const Console& console);

const char* validate_usage();
const char* calibrate_usage();

}  // namespace app
