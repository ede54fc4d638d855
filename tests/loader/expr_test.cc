// `expect` expressions: the grammar, evaluation, the paths they read, and
// syntax errors that point at the exact column of the offending token.
#include "loader/expr.h"

#include <doctest/doctest.h>

#include <cmath>
#include <map>
#include <string>

namespace {

// Where the expression sits in its file: `  - TEXT` on line 7, so the text
// starts at column 5.
const loader::SourcePos kAt{"s.yaml", 7, 5};

loader::Expr parse(const std::string& text) { return loader::Expr::parse(text, kAt, "  - " + text); }

double value_of(const std::string& text, const std::map<std::string, double>& metrics = {}) {
  return parse(text).evaluate([&](const std::string& path) { return metrics.at(path); });
}

// The rendered error of parsing `text`, or "(no error)".
std::string error_of(const std::string& text) {
  try {
    parse(text);
  } catch (const loader::InputError& e) {
    return e.what();
  }
  return "(no error)";
}

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

}  // namespace

TEST_SUITE("expr") {
  TEST_CASE("arithmetic follows the usual precedence") {
    CHECK(value_of("1 + 2 * 3") == 7);
    CHECK(value_of("(1 + 2) * 3") == 9);
    CHECK(value_of("10 - 4 - 3") == 3);  // left-associative
    CHECK(value_of("12 / 4 / 3") == 1);
    CHECK(value_of("-2 * -3") == 6);
    CHECK(value_of("--2") == 2);
    CHECK(value_of("+2") == 2);
    CHECK(value_of("1e-3") == doctest::Approx(0.001));
    CHECK(value_of(".5") == 0.5);
  }

  TEST_CASE("comparisons give 1 or 0, and/or/not treat nonzero as true") {
    CHECK(value_of("1 < 2") == 1);
    CHECK(value_of("2 <= 2") == 1);
    CHECK(value_of("1 > 2") == 0);
    CHECK(value_of("2 >= 3") == 0);
    CHECK(value_of("2 == 2") == 1);
    CHECK(value_of("2 != 2") == 0);
    CHECK(value_of("1 + 1 == 2 and 3 > 2") == 1);
    CHECK(value_of("0 or 5") == 1);
    CHECK(value_of("0 or 0") == 0);
    CHECK(value_of("2 and 0") == 0);
    CHECK(value_of("not 0") == 1);
    CHECK(value_of("not 1 < 2") == 0);  // not binds looser than a comparison
    CHECK(value_of("not not 3") == 1);
    CHECK(value_of("1 or 0 and 0") == 1);  // and binds tighter than or
  }

  TEST_CASE("min, max and abs") {
    CHECK(value_of("min(3, 1, 2)") == 1);
    CHECK(value_of("max(3, 1, 2)") == 3);
    CHECK(value_of("min(4)") == 4);
    CHECK(value_of("abs(1 - 3)") == 2);
    CHECK(value_of("max(abs(-5), min(2, 9)) * 2") == 10);
  }

  TEST_CASE("duration literals are seconds, like the time metrics") {
    CHECK(value_of("1.5s") == doctest::Approx(1.5));
    CHECK(value_of("250ms") == doctest::Approx(0.25));
    CHECK(value_of("10us") == doctest::Approx(1e-5));
    CHECK(value_of("10\u00b5s") == doctest::Approx(1e-5));
    CHECK(value_of("5ns") == doctest::Approx(5e-9));
    CHECK(value_of("main.wall < 300ms", {{"main.wall", 0.25}}) == 1);
  }

  TEST_CASE("paths are read through the lookup") {
    const std::map<std::string, double> m = {{"threads.wall", 1.0},
                                             {"sequential.wall", 1.01},
                                             {"seq.threads.worker_0.gil_wait", 0.5},
                                             {"a.gil.handoffs", 40}};
    CHECK(value_of("threads.wall >= 0.98 * sequential.wall", m) == 1);
    CHECK(value_of("seq.threads.worker_0.gil_wait * 2", m) == 1);
    CHECK(value_of("a.gil.handoffs / 4", m) == 10);
  }

  TEST_CASE("division by zero follows IEEE") {
    CHECK(std::isinf(value_of("1 / 0")));
    CHECK(std::isnan(value_of("0 / 0")));
  }

  TEST_CASE("paths() lists each path once in order, located_paths() gives columns") {
    const loader::Expr e = parse("b.wall > 0.9 * a.wall and b.wall < 2 * a.gil.held");
    CHECK(e.paths() == std::vector<std::string>{"b.wall", "a.wall", "a.gil.held"});
    const auto located = e.located_paths();
    REQUIRE(located.size() == 4);
    CHECK(located[0].pos.line == 7);
    CHECK(located[0].pos.column == 5);
    CHECK(located[1].path == "a.wall");
    CHECK(located[1].pos.column == 5 + 15);
    CHECK(located[3].pos.column == 5 + 39);
  }

  TEST_CASE("a syntax error points at the offending token") {
    // "  - main.wall * > 2": '>' is at offset 12 of the text, column 17.
    CHECK(error_of("main.wall * > 2") ==
          "s.yaml:7:17: error: expected an expression after '*', got '>'\n"
          "    - main.wall * > 2\n" +
              std::string(2 + 16, ' ') + "^");
    // At the end of the text, the caret is just past it.
    CHECK(
        contains(error_of("main.wall *"), "s.yaml:7:16: error: expected an expression after '*'"));
    CHECK(contains(error_of("main.wall > 1)"), ":7:18: error: unexpected ')'"));
    CHECK(contains(error_of("(main.wall > 1"),
                   ":7:19: error: missing ')' to close the '(' at column 5"));
    CHECK(contains(error_of(")"), ":7:5: error: unexpected ')'"));
    CHECK(contains(error_of("main.wall main.cpu"), ":7:15: error: unexpected 'main.cpu'"));
    CHECK(contains(error_of(""), ":7:5: error: empty expression"));
    CHECK(contains(error_of("1 +"), "expected an expression after '+'"));
    CHECK(contains(error_of("not"), "expected an expression after 'not'"));
    CHECK(contains(error_of("1 and or 2"), "expected an expression after 'and', got 'or'"));
  }

  TEST_CASE("functions: unknown ones get a hint, arity is checked") {
    CHECK(contains(error_of("mean(a.wall) < 1"),
                   ":7:5: error: unknown function 'mean'; did you mean 'min'?"));
    CHECK(contains(error_of("median(a.wall)"), "unknown function 'median'; the functions are"));
    CHECK(contains(error_of("abs(1, 2)"), ":7:5: error: 'abs' takes one argument, got 2"));
    CHECK(contains(error_of("max()"), ":7:9: error: 'max' needs at least one argument"));
    CHECK(contains(error_of("max(1 2)"), ":7:11: error: expected ',' or ')' in the call of 'max'"));
  }

  TEST_CASE("lexical mistakes say what to write instead") {
    CHECK(contains(error_of("a.wall = 1"), ":7:12: error: '=' is not a comparison: write '=='"));
    CHECK(contains(error_of("a.wall && 1"), ":7:12: error: write 'and' instead of '&&'"));
    CHECK(contains(error_of("a.wall || 1"), "write 'or' instead of '||'"));
    CHECK(contains(error_of("!a.wall"), "write 'not' instead of '!'"));
    CHECK(contains(error_of("a.wall < 5sec"), ":7:15: error: unknown unit 'sec' in '5sec'"));
    CHECK(contains(error_of("a.wall # 1"), ":7:12: error: unexpected character '#'"));
    CHECK(contains(error_of("a. > 1"), ":7:7: error: expected a name after '.' in 'a.'"));
  }

  TEST_CASE("comparisons do not chain") {
    CHECK(contains(error_of("0 < a.wall < 1"), ":7:16: error: comparisons do not chain"));
  }

  TEST_CASE("a bare name is not a metric path") {
    CHECK(contains(error_of("wall > 1"),
                   ":7:5: error: 'wall' is not a metric path: write VARIANT.METRIC"));
  }

  TEST_CASE("an expression can be moved") {
    loader::Expr a = parse("1 + 1");
    loader::Expr b = std::move(a);
    CHECK(b.evaluate([](const std::string&) { return 0.0; }) == 2);
  }
}

TEST_CASE("nesting is bounded: 100 levels parse, deeper is an error at a column, never a stack overflow") {
  auto nested = [](int n) { return std::string(n, '(') + "1" + std::string(n, ')'); };
  CHECK(value_of(nested(loader::kMaxExpressionDepth - 1)) == 1);
  CHECK(error_of(nested(10'000)).find("s.yaml:7:105: error: expression nested too deeply: more than 100 levels") !=
        std::string::npos);
  CHECK(value_of(std::string(98, '-') + "1") == 1);
  CHECK(error_of(std::string(50'000, '-') + "1").find("nested too deeply") != std::string::npos);
  std::string nots;
  for (int i = 0; i < 50'000; ++i) nots += "not ";
  CHECK(error_of(nots + "1").find("nested too deeply") != std::string::npos);
  // Unary '+' is skipped, not nested.
  CHECK(value_of(std::string(50'000, '+') + "1") == 1);
  // A long chain of operators builds a deep tree without recursing: bounded too.
  std::string sum = "1";
  for (int i = 0; i < 20'000; ++i) sum += " + 1";
  CHECK(error_of(sum).find("nested too deeply") != std::string::npos);
  std::string short_sum = "1";
  for (int i = 0; i < 90; ++i) short_sum += " + 1";
  CHECK(value_of(short_sum) == 91);
  std::string calls = "1";
  for (int i = 0; i < 500; ++i) calls = "max(" + calls + ", 0)";
  CHECK(error_of(calls).find("nested too deeply") != std::string::npos);
}
