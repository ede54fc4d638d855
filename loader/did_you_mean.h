// "Did you mean" hints for a word that is not in the vocabulary valid where it
// was written (a key of a section, an operation in a task, an option of a
// command), and the keys of real Python APIs that gilsim knowingly does not
// model, which get a "not modelled yet" instead of a typo suggestion.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace loader {

// The candidates `word` is likely a slip for, best first; empty when none is
// close. Case is ignored. A word of 3 letters or more that begins some
// candidates is an abbreviation of them: all of those, in the candidates'
// order ("await" -> "await_io", "await_sleep"). Otherwise the closest
// candidate by Damerau-Levenshtein distance (optimal string alignment: a
// transposition of neighbours is one edit), if the distance is at most about
// one edit per three letters, or one per four when even the first letters
// differ (a first letter is rarely the slip: "init" is not "fit"). Ties go
// to the longer common prefix, then to the first candidate, so hints are stable.
std::vector<std::string> likely_meant(std::string_view word, const std::vector<std::string>& candidates);

// The first of likely_meant, or empty.
std::string closest_match(std::string_view word, const std::vector<std::string>& candidates);

// "; did you mean 'a'?", "; did you mean 'a' or 'b'?", "; did you mean 'a',
// 'b' or 'c'?", or empty.
std::string did_you_mean(std::string_view word, const std::vector<std::string>& candidates);
// The same words for names already chosen (likely_meant's, reworded).
std::string did_you_mean(const std::vector<std::string>& meant);

// For a command-line option: `option` ("--quiet") against the long names of
// the command's options without their dashes ("seed", "out"), compared
// without dashes (the dashes alone make "--quiet" look like "--out"), and
// suggested with them: "; did you mean '--seed'?".
std::string did_you_mean_option(std::string_view option, const std::vector<std::string>& long_names);

// Why gilsim refuses `key`, a key of a Python API it does not model yet
// (`chunksize` of map: README "Not modelled yet"), or null for any other key.
const char* not_modelled(std::string_view key);

}  // namespace loader
