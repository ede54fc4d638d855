// `expect` expressions: numbers, VARIANT.METRIC paths, + - * /, parentheses,
// < <= > >= == !=, and, or, not, min(a, b, ...), max(...), abs(x).
//
// Parsed once when the scenario is loaded (syntax errors and unknown
// variants/metrics are input errors with a column); evaluated after the run.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "loader/input_error.h"

namespace loader {

struct ExprNode;

// How deeply an expression may nest: parentheses, function calls, 'not',
// unary '-', and the height of its tree of operators (a + b + c is two
// levels). Deeper is an input error, not a stack overflow; real expectations
// need a handful of levels.
constexpr int kMaxExpressionDepth = 100;

// A VARIANT.METRIC path as written in an expression, with its place in the
// file: the scenario loader checks it against the variants and their metrics.
struct ExprPath {
  std::string path;
  SourcePos pos;  // the path's first character
};

class Expr {
 public:
  Expr();
  ~Expr();
  Expr(Expr&&) noexcept;
  Expr& operator=(Expr&&) noexcept;

  // Parses `text`; `pos` is where the text starts in its file (errors point at
  // the offending token's column). Throws InputError.
  static Expr parse(const std::string& text, const SourcePos& pos, const std::string& source_line);

  // Every VARIANT.METRIC path the expression reads, in order of first
  // appearance, each once.
  std::vector<std::string> paths() const;

  // Every path as written, with its place (a path written twice is here twice).
  std::vector<ExprPath> located_paths() const;

  // Evaluates with `lookup` giving the value of a path. Comparisons and
  // logic give 1 or 0. Division by zero gives +inf/-inf/nan per IEEE.
  double evaluate(const std::function<double(const std::string&)>& lookup) const;

 private:
  std::unique_ptr<ExprNode> root_;
};

}  // namespace loader
