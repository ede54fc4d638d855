#include "loader/expr.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <utility>

#include "loader/durations.h"

namespace loader {

// ---------------------------------------------------------------------------
// The tree

enum class ExprOp {
  Add,
  Sub,
  Mul,
  Div,
  Less,
  LessEq,
  Greater,
  GreaterEq,
  Equal,
  NotEqual,
  And,
  Or
};
enum class ExprFunction { Min, Max, Abs };

struct ExprNode {
  enum class Kind { Number, Path, Negate, Not, Binary, Call };
  Kind kind = Kind::Number;
  double number = 0;                          // Number
  std::string path;                           // Path
  SourcePos pos;                              // Path: where it is written
  ExprOp op = ExprOp::Add;                    // Binary
  ExprFunction function = ExprFunction::Min;  // Call
  std::vector<std::unique_ptr<ExprNode>> operands;
  int height = 1;  // the longest chain of nodes down from this one, itself included
};

namespace {

using NodePtr = std::unique_ptr<ExprNode>;

NodePtr make(ExprNode::Kind kind) {
  auto n = std::make_unique<ExprNode>();
  n->kind = kind;
  return n;
}

// ---------------------------------------------------------------------------
// Tokens

enum class Tok { Number, Name, Op, LParen, RParen, Comma, End };

struct Token {
  Tok kind = Tok::End;
  std::string text;        // as written
  double value = 0;        // Number, in seconds if it had a unit
  std::size_t offset = 0;  // in the expression's text
};

bool is_name_start(char c) { return std::isalpha(static_cast<unsigned char>(c)) || c == '_'; }
bool is_name_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }
bool is_unit_char(char c) {
  // Letters, and the bytes of "µ"/"μ" in UTF-8 (all >= 0x80).
  return std::isalpha(static_cast<unsigned char>(c)) || static_cast<unsigned char>(c) >= 0x80;
}

// Turns errors at an offset of the expression into InputErrors at the right
// column of the file.
class Place {
 public:
  Place(const std::string& text, const SourcePos& pos, const std::string& source_line)
      : text_(text), pos_(pos), source_line_(source_line) {}

  SourcePos at(std::size_t offset) const {
    // Columns past the first line of a multi-line YAML scalar are approximate:
    // the scalar's line breaks were folded away before the text got here.
    SourcePos p = pos_;
    p.column = std::max(1, pos_.column) + static_cast<int>(offset);
    return p;
  }
  int column(std::size_t offset) const { return at(offset).column; }

  [[noreturn]] void fail(std::size_t offset, std::string message) const {
    throw InputError(at(offset), std::move(message), source_line_);
  }
  const std::string& text() const { return text_; }

 private:
  const std::string& text_;
  SourcePos pos_;
  const std::string& source_line_;
};

class Lexer {
 public:
  explicit Lexer(const Place& place) : place_(place), text_(place.text()) {}

  std::vector<Token> tokens() {
    std::vector<Token> out;
    for (;;) {
      while (i_ < text_.size() && std::isspace(static_cast<unsigned char>(text_[i_]))) ++i_;
      if (i_ >= text_.size()) break;
      out.push_back(next());
    }
    out.push_back(Token{Tok::End, "", 0, text_.size()});
    return out;
  }

 private:
  Token next() {
    const char c = text_[i_];
    if (std::isdigit(static_cast<unsigned char>(c)) ||
        (c == '.' && i_ + 1 < text_.size() &&
         std::isdigit(static_cast<unsigned char>(text_[i_ + 1]))))
      return number();
    if (is_name_start(c)) return name();
    return punctuation();
  }

  // A number, or a duration literal: `1.5s`, `250ms`, `10us`, `5ns` are
  // converted to SECONDS, because every time metric (wall, gil_wait, ...) is
  // in seconds; so `main.wall < 300ms` means what it says.
  Token number() {
    const std::size_t start = i_;
    const std::size_t length = number_prefix_length(std::string_view(text_).substr(i_));
    double value = 0;
    std::from_chars(text_.data() + i_, text_.data() + i_ + length, value);
    i_ += length;
    const std::size_t unit_start = i_;
    while (i_ < text_.size() && is_unit_char(text_[i_])) ++i_;
    if (i_ > unit_start) {
      const std::string unit = text_.substr(unit_start, i_ - unit_start);
      const sim::Time ns = unit_in_ns(unit);
      if (ns == 0)
        place_.fail(unit_start, "unknown unit '" + unit + "' in '" +
                                    text_.substr(start, i_ - start) + "': the units are " +
                                    kUnitList);
      value = value * static_cast<double>(ns) / 1e9;
    }
    return Token{Tok::Number, text_.substr(start, i_ - start), value, start};
  }

  // A name: a keyword, a function, or a dotted metric path.
  Token name() {
    const std::size_t start = i_;
    for (;;) {
      while (i_ < text_.size() && is_name_char(text_[i_])) ++i_;
      if (i_ >= text_.size() || text_[i_] != '.') break;
      ++i_;  // the dot
      if (i_ >= text_.size() || !is_name_char(text_[i_]))
        place_.fail(i_, "expected a name after '.' in '" + text_.substr(start, i_ - start) + "'");
    }
    return Token{Tok::Name, text_.substr(start, i_ - start), 0, start};
  }

  Token punctuation() {
    const std::size_t start = i_;
    const std::string two = text_.substr(i_, 2);
    for (const char* op : {"<=", ">=", "==", "!="}) {
      if (two == op) {
        i_ += 2;
        return Token{Tok::Op, two, 0, start};
      }
    }
    // Spellings from other languages: say what to write instead.
    if (two == "&&") place_.fail(start, "write 'and' instead of '&&'");
    if (two == "||") place_.fail(start, "write 'or' instead of '||'");
    const char c = text_[i_++];
    switch (c) {
      case '<':
      case '>':
      case '+':
      case '-':
      case '*':
      case '/':
        return Token{Tok::Op, std::string(1, c), 0, start};
      case '(':
        return Token{Tok::LParen, "(", 0, start};
      case ')':
        return Token{Tok::RParen, ")", 0, start};
      case ',':
        return Token{Tok::Comma, ",", 0, start};
      case '=':
        place_.fail(start, "'=' is not a comparison: write '=='");
      case '!':
        place_.fail(start, "write 'not' instead of '!'");
      default:
        break;
    }
    // Show a whole UTF-8 character, not its first byte.
    std::size_t end = i_;
    while (end < text_.size() && (static_cast<unsigned char>(text_[end]) & 0xC0) == 0x80) ++end;
    place_.fail(start, "unexpected character '" + text_.substr(start, end - start) + "'");
  }

  const Place& place_;
  const std::string& text_;
  std::size_t i_ = 0;
};

// ---------------------------------------------------------------------------
// The parser: one function per precedence level, loosest first.

const std::vector<std::string> kFunctionNames = {"min", "max", "abs"};

// Evaluating, collecting paths and destroying a tree recurse on its height,
// and parsing recurses on nested parentheses, 'not' and '-': both are bounded
// (kMaxExpressionDepth, expr.h) so that no expression can exhaust the stack.
class Parser {
 public:
  Parser(const Place& place, std::vector<Token> tokens)
      : place_(place), tokens_(std::move(tokens)) {}

  NodePtr parse() {
    if (peek().kind == Tok::End) place_.fail(0, "empty expression");
    NodePtr root = parse_or();
    const Token& extra = peek();
    if (extra.kind == Tok::RParen) place_.fail(extra.offset, "unexpected ')'");
    if (extra.kind != Tok::End)
      place_.fail(extra.offset, "unexpected '" + extra.text +
                                    "': expected an operator (+ - * / < <= > >= == != and or)");
    return root;
  }

 private:
  const Token& peek() const { return tokens_[next_]; }
  const Token& take() { return tokens_[next_++]; }
  bool at_op(const char* op) const { return peek().kind == Tok::Op && peek().text == op; }
  bool at_keyword(const char* word) const {
    return peek().kind == Tok::Name && peek().text == word;
  }

  // One more level of nesting while alive: parentheses, a call's arguments,
  // 'not' and unary '-' each recurse into the parser.
  class Nesting {
   public:
    Nesting(Parser& p, std::size_t offset) : p_(p) {
      if (++p_.depth_ > kMaxExpressionDepth) p_.too_deep(offset);
    }
    ~Nesting() { --p_.depth_; }
    Nesting(const Nesting&) = delete;
    Nesting& operator=(const Nesting&) = delete;

   private:
    Parser& p_;
  };

  [[noreturn]] void too_deep(std::size_t offset) const {
    place_.fail(offset, "expression nested too deeply: more than " +
                            std::to_string(kMaxExpressionDepth) +
                            " levels of parentheses, operators, 'not' or '-'; split it into simpler "
                            "expectations");
  }

  // A node over `operands`, its height checked: a chain of 10,000 '+' makes
  // no recursion in the parser, but a tree as deep as the chain is long.
  NodePtr node_over(NodePtr n, std::size_t offset) {
    for (const auto& o : n->operands) n->height = std::max(n->height, o->height + 1);
    if (n->height > kMaxExpressionDepth) too_deep(offset);
    return n;
  }

  NodePtr binary(ExprOp op, NodePtr left, NodePtr right, std::size_t offset) {
    NodePtr n = make(ExprNode::Kind::Binary);
    n->op = op;
    n->operands.push_back(std::move(left));
    n->operands.push_back(std::move(right));
    return node_over(std::move(n), offset);
  }

  NodePtr parse_or() {
    NodePtr left = parse_and();
    while (at_keyword("or")) {
      const std::size_t at = take().offset;
      left = binary(ExprOp::Or, std::move(left), parse_and(), at);
    }
    return left;
  }

  NodePtr parse_and() {
    NodePtr left = parse_not();
    while (at_keyword("and")) {
      const std::size_t at = take().offset;
      left = binary(ExprOp::And, std::move(left), parse_not(), at);
    }
    return left;
  }

  NodePtr parse_not() {
    if (!at_keyword("not")) return parse_comparison();
    const std::size_t at = take().offset;
    Nesting nesting(*this, at);
    NodePtr n = make(ExprNode::Kind::Not);
    n->operands.push_back(parse_not());
    return node_over(std::move(n), at);
  }

  static bool comparison_op(const Token& t, ExprOp& op) {
    if (t.kind != Tok::Op) return false;
    static const std::pair<const char*, ExprOp> ops[] = {
        {"<", ExprOp::Less},       {"<=", ExprOp::LessEq}, {">", ExprOp::Greater},
        {">=", ExprOp::GreaterEq}, {"==", ExprOp::Equal},  {"!=", ExprOp::NotEqual}};
    for (const auto& [text, o] : ops) {
      if (t.text == text) {
        op = o;
        return true;
      }
    }
    return false;
  }

  // Non-associative: `a < b < c` reads like a range in Python but would not be
  // one here, so it is an error rather than a surprise.
  NodePtr parse_comparison() {
    NodePtr left = parse_additive();
    ExprOp op;
    if (!comparison_op(peek(), op)) return left;
    const std::size_t at = take().offset;
    NodePtr result = binary(op, std::move(left), parse_additive(), at);
    if (comparison_op(peek(), op))
      place_.fail(peek().offset, "comparisons do not chain: write 'a < b and b < c'");
    return result;
  }

  NodePtr parse_additive() {
    NodePtr left = parse_multiplicative();
    while (at_op("+") || at_op("-")) {
      const Token& t = take();
      ExprOp op = t.text == "+" ? ExprOp::Add : ExprOp::Sub;
      left = binary(op, std::move(left), parse_multiplicative(), t.offset);
    }
    return left;
  }

  NodePtr parse_multiplicative() {
    NodePtr left = parse_unary();
    while (at_op("*") || at_op("/")) {
      const Token& t = take();
      ExprOp op = t.text == "*" ? ExprOp::Mul : ExprOp::Div;
      left = binary(op, std::move(left), parse_unary(), t.offset);
    }
    return left;
  }

  NodePtr parse_unary() {
    while (at_op("+")) take();  // a no-op: skipped without recursion
    if (!at_op("-")) return parse_primary();
    const std::size_t at = take().offset;
    Nesting nesting(*this, at);
    NodePtr n = make(ExprNode::Kind::Negate);
    n->operands.push_back(parse_unary());
    return node_over(std::move(n), at);
  }

  NodePtr parse_primary() {
    const Token& t = peek();
    if (t.kind == Tok::Number) {
      take();
      NodePtr n = make(ExprNode::Kind::Number);
      n->number = t.value;
      return n;
    }
    if (t.kind == Tok::LParen) return parse_parenthesized();
    if (t.kind == Tok::Name && t.text != "and" && t.text != "or") {
      if (tokens_[next_ + 1].kind == Tok::LParen) return parse_call();
      return parse_path();
    }
    missing_operand();
  }

  [[noreturn]] void missing_operand() const {
    const Token& t = peek();
    if (next_ == 0) place_.fail(t.offset, "unexpected '" + t.text + "'");
    const Token& before = tokens_[next_ - 1];
    std::string message = "expected an expression after '" + before.text + "'";
    if (t.kind != Tok::End) message += ", got '" + t.text + "'";
    place_.fail(t.offset, message);
  }

  NodePtr parse_parenthesized() {
    const Token& open = take();
    Nesting nesting(*this, open.offset);
    NodePtr inner = parse_or();
    if (peek().kind != Tok::RParen)
      place_.fail(peek().offset, "missing ')' to close the '(' at column " +
                                     std::to_string(place_.column(open.offset)));
    take();
    return inner;
  }

  NodePtr parse_call() {
    const Token& name = take();
    auto known = std::find(kFunctionNames.begin(), kFunctionNames.end(), name.text);
    if (known == kFunctionNames.end()) {
      std::string hint = closest_match(name.text, kFunctionNames);
      place_.fail(name.offset, "unknown function '" + name.text + "'" +
                                   (hint.empty() ? "; the functions are min, max and abs"
                                                 : "; did you mean '" + hint + "'?"));
    }
    Nesting nesting(*this, name.offset);
    NodePtr n = make(ExprNode::Kind::Call);
    n->function = static_cast<ExprFunction>(known - kFunctionNames.begin());
    take();  // '('
    if (peek().kind == Tok::RParen)
      place_.fail(peek().offset, "'" + name.text + "' needs at least one argument");
    for (;;) {
      n->operands.push_back(parse_or());
      if (peek().kind == Tok::Comma) {
        take();
        continue;
      }
      if (peek().kind == Tok::RParen) break;
      place_.fail(peek().offset, "expected ',' or ')' in the call of '" + name.text + "'");
    }
    take();  // ')'
    if (n->function == ExprFunction::Abs && n->operands.size() != 1)
      place_.fail(name.offset,
                  "'abs' takes one argument, got " + std::to_string(n->operands.size()));
    return node_over(std::move(n), name.offset);
  }

  NodePtr parse_path() {
    const Token& t = take();
    if (t.text.find('.') == std::string::npos)
      place_.fail(t.offset,
                  "'" + t.text + "' is not a metric path: write VARIANT.METRIC, e.g. 'main.wall'");
    NodePtr n = make(ExprNode::Kind::Path);
    n->path = t.text;
    n->pos = place_.at(t.offset);
    return n;
  }

  const Place& place_;
  std::vector<Token> tokens_;
  std::size_t next_ = 0;
  int depth_ = 0;  // Nesting levels open
};

// ---------------------------------------------------------------------------
// Evaluation

bool truthy(double x) { return x != 0; }

double apply(ExprOp op, double a, double b) {
  switch (op) {
    case ExprOp::Add:
      return a + b;
    case ExprOp::Sub:
      return a - b;
    case ExprOp::Mul:
      return a * b;
    case ExprOp::Div:
      return a / b;
    case ExprOp::Less:
      return a < b;
    case ExprOp::LessEq:
      return a <= b;
    case ExprOp::Greater:
      return a > b;
    case ExprOp::GreaterEq:
      return a >= b;
    case ExprOp::Equal:
      return a == b;
    case ExprOp::NotEqual:
      return a != b;
    case ExprOp::And:
      return truthy(a) && truthy(b);
    case ExprOp::Or:
      return truthy(a) || truthy(b);
  }
  return 0;
}

double evaluate_node(const ExprNode& n, const std::function<double(const std::string&)>& lookup) {
  switch (n.kind) {
    case ExprNode::Kind::Number:
      return n.number;
    case ExprNode::Kind::Path:
      return lookup(n.path);
    case ExprNode::Kind::Negate:
      return -evaluate_node(*n.operands[0], lookup);
    case ExprNode::Kind::Not:
      return truthy(evaluate_node(*n.operands[0], lookup)) ? 0.0 : 1.0;
    case ExprNode::Kind::Binary:
      // Both sides always: every path's value is shown when an expectation fails.
      return apply(n.op, evaluate_node(*n.operands[0], lookup),
                   evaluate_node(*n.operands[1], lookup));
    case ExprNode::Kind::Call: {
      std::vector<double> args;
      for (const auto& o : n.operands) args.push_back(evaluate_node(*o, lookup));
      switch (n.function) {
        case ExprFunction::Min:
          return *std::min_element(args.begin(), args.end());
        case ExprFunction::Max:
          return *std::max_element(args.begin(), args.end());
        case ExprFunction::Abs:
          return std::fabs(args[0]);
      }
    }
  }
  return 0;
}

void collect_paths(const ExprNode& n, std::vector<ExprPath>& out) {
  if (n.kind == ExprNode::Kind::Path) out.push_back(ExprPath{n.path, n.pos});
  for (const auto& o : n.operands) collect_paths(*o, out);
}

}  // namespace

// ---------------------------------------------------------------------------
// Expr

Expr::Expr() = default;
Expr::~Expr() = default;
Expr::Expr(Expr&&) noexcept = default;
Expr& Expr::operator=(Expr&&) noexcept = default;

Expr Expr::parse(const std::string& text, const SourcePos& pos, const std::string& source_line) {
  const Place place(text, pos, source_line);
  Parser parser(place, Lexer(place).tokens());
  Expr e;
  e.root_ = parser.parse();
  return e;
}

std::vector<ExprPath> Expr::located_paths() const {
  std::vector<ExprPath> out;
  if (root_) collect_paths(*root_, out);
  return out;
}

std::vector<std::string> Expr::paths() const {
  std::vector<std::string> out;
  for (const auto& p : located_paths())
    if (std::find(out.begin(), out.end(), p.path) == out.end()) out.push_back(p.path);
  return out;
}

double Expr::evaluate(const std::function<double(const std::string&)>& lookup) const {
  return root_ ? evaluate_node(*root_, lookup) : 0.0;
}

}  // namespace loader
