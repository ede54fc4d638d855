#include "sim/chrome_trace.h"

#include <doctest/doctest.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "tests/support/temp_dir.h"

namespace fs = std::filesystem;

using testing::read_text;
using testing::TempDir;

namespace {

// A strict JSON syntax checker (RFC 8259): what a reader such as Python's
// json module or Perfetto's importer would refuse, it refuses.
class JsonChecker {
 public:
  static bool valid(std::string_view text) {
    JsonChecker c{text};
    c.ws();
    if (!c.value()) return false;
    c.ws();
    return c.i_ == text.size();
  }

 private:
  explicit JsonChecker(std::string_view s) : s_(s) {}
  bool at(char c) const { return i_ < s_.size() && s_[i_] == c; }
  bool eat(char c) {
    if (!at(c)) return false;
    ++i_;
    return true;
  }
  void ws() {
    while (i_ < s_.size() && (s_[i_] == ' ' || s_[i_] == '\n' || s_[i_] == '\r' || s_[i_] == '\t')) ++i_;
  }
  bool digits() {
    const std::size_t start = i_;
    while (i_ < s_.size() && s_[i_] >= '0' && s_[i_] <= '9') ++i_;
    return i_ > start;
  }
  bool literal(std::string_view word) {
    if (s_.substr(i_, word.size()) != word) return false;
    i_ += word.size();
    return true;
  }
  bool number() {
    eat('-');
    if (eat('0')) {
      if (i_ < s_.size() && s_[i_] >= '0' && s_[i_] <= '9') return false;  // no leading zeros
    } else if (!digits()) {
      return false;
    }
    if (eat('.') && !digits()) return false;
    if (eat('e') || eat('E')) {
      if (!eat('+')) eat('-');
      if (!digits()) return false;
    }
    return true;
  }
  bool string() {
    if (!eat('"')) return false;
    while (i_ < s_.size()) {
      const auto c = static_cast<unsigned char>(s_[i_++]);
      if (c == '"') return true;
      if (c < 0x20) return false;
      if (c == '\\') {
        if (i_ >= s_.size()) return false;
        const char e = s_[i_++];
        if (e == 'u') {
          for (int k = 0; k < 4; ++k, ++i_)
            if (i_ >= s_.size() || !std::isxdigit(static_cast<unsigned char>(s_[i_]))) return false;
        } else if (std::string_view("\"\\/bfnrt").find(e) == std::string_view::npos) {
          return false;
        }
      }
    }
    return false;
  }
  template <typename Member>
  bool sequence(char open, char close, Member member) {
    if (!eat(open)) return false;
    ws();
    if (eat(close)) return true;
    for (;;) {
      ws();
      if (!member()) return false;
      ws();
      if (eat(close)) return true;
      if (!eat(',')) return false;
    }
  }
  bool value() {
    if (i_ >= s_.size()) return false;
    switch (s_[i_]) {
      case '{':
        return sequence('{', '}', [this] {
          if (!string()) return false;
          ws();
          if (!eat(':')) return false;
          ws();
          return value();
        });
      case '[': return sequence('[', ']', [this] { return value(); });
      case '"': return string();
      case 't': return literal("true");
      case 'f': return literal("false");
      case 'n': return literal("null");
      default: return number();
    }
  }

  std::string_view s_;
  std::size_t i_ = 0;
};

constexpr sim::SliceStyle kRunning{"running", "#4caf50"};
constexpr sim::SliceStyle kWaiting{"waiting", "#f44336"};

// A small run touching every kind of call.
void feed(sim::TraceSink& t) {
  t.process(1, "Interpreter", 0);
  t.process(2, "Machine", 1);
  t.track(10, 1, "T1", 0);
  t.track(11, 1, "T2", 1);
  t.track(20, 2, "core 0", 0);
  t.counter_track(30, 2, "runnable");
  t.counter(30, 0, 2);
  t.slice(10, 0, 1000, kWaiting);
  t.labelled_slice(20, 0, 1234567, kRunning, "T2");
  t.slice(11, 0, 1234567, kRunning);
  t.instant(10, 1234567, "drop request");
  t.flow(11, 1234567, 10, 1235000, "GIL handoff");
  t.counter(30, 1235000, 1);
  t.slice(10, 1000, 1235000, kWaiting);
  t.finish(2000000);
}

}  // namespace

TEST_CASE("JsonChecker accepts JSON and refuses near misses") {
  CHECK(JsonChecker::valid(R"({"a":[1,-2.5,3e4,true,false,null,"x\"\u00e9"],"b":{}})"));
  CHECK(JsonChecker::valid("[]"));
  CHECK_FALSE(JsonChecker::valid(R"({"a":[1,2,]})"));  // trailing comma in an array
  CHECK_FALSE(JsonChecker::valid(R"({"a":1,})"));      // ... and in an object
  CHECK_FALSE(JsonChecker::valid(R"([1 2])"));
  CHECK_FALSE(JsonChecker::valid(R"([01])"));
  CHECK_FALSE(JsonChecker::valid(R"([1.])"));
  CHECK_FALSE(JsonChecker::valid("[\"a\nb\"]"));  // raw control character in a string
  CHECK_FALSE(JsonChecker::valid(R"(["\x"])"));
  CHECK_FALSE(JsonChecker::valid(R"({"a":1)"));
  CHECK_FALSE(JsonChecker::valid(R"({"a":1}})"));
  CHECK_FALSE(JsonChecker::valid(R"({a:1})"));
}

TEST_CASE("ChromeTraceWriter: events, mapping and exact timestamps") {
  TempDir dir;
  const fs::path path = dir.path() / "trace.json";
  {
    sim::ChromeTraceWriter w(path.string());
    feed(w);
  }
  const std::string text = read_text(path);
  REQUIRE(JsonChecker::valid(text));
  CHECK(dir.count() == 1);

  const auto has = [&](const char* line) {
    INFO(line);
    CHECK(text.find(std::string("\n") + line) != std::string::npos);
  };
  CHECK(text.rfind("{\"displayTimeUnit\":\"ns\",\"traceEvents\":[", 0) == 0);
  has(R"({"ph":"M","name":"process_name","pid":1,"args":{"name":"Interpreter"}},)");
  has(R"({"ph":"M","name":"process_sort_index","pid":2,"args":{"sort_index":1}},)");
  has(R"({"ph":"M","name":"thread_name","pid":2,"tid":20,"args":{"name":"core 0"}},)");
  has(R"({"ph":"M","name":"thread_sort_index","pid":1,"tid":11,"args":{"sort_index":1}},)");
  has(R"({"ph":"C","name":"runnable","pid":2,"ts":0,"args":{"value":2}},)");
  has(R"({"ph":"X","pid":1,"tid":10,"ts":0,"dur":1,"name":"waiting"},)");
  has(R"({"ph":"X","pid":2,"tid":20,"ts":0,"dur":1234.567,"name":"T2","args":{"state":"running"}},)");
  has(R"({"ph":"i","s":"t","pid":1,"tid":10,"ts":1234.567,"name":"drop request"},)");
  has(R"({"ph":"X","pid":1,"tid":11,"ts":1234.567,"dur":0,"name":"GIL handoff","bind_id":1,"flow_out":true},)");
  has(R"({"ph":"X","pid":1,"tid":10,"ts":1235,"dur":0,"name":"GIL handoff","bind_id":1,"flow_in":true},)");
  has(R"({"ph":"X","pid":1,"tid":10,"ts":1,"dur":1234,"name":"waiting"})");
  CHECK(text.find("\n],\"otherData\":{\"generator\":\"gilsim\",\"end_us\":2000}}\n") != std::string::npos);
  // Calls appear in call order, one event per line.
  CHECK(text.find("\"C\",\"name\":\"runnable\",\"pid\":2,\"ts\":0,") <
        text.find("\"C\",\"name\":\"runnable\",\"pid\":2,\"ts\":1235,"));
  CHECK(std::count(text.begin(), text.end(), '\n') == 21);
}

TEST_CASE("ChromeTraceWriter: microseconds printed from integer nanoseconds") {
  TempDir dir;
  const fs::path path = dir.path() / "t.json";
  const sim::Time times[] = {0, 1, 10, 999, 1000, 1500, 1234567, 1000000001, 9223372036854775807};
  {
    sim::ChromeTraceWriter w(path.string());
    w.track(1, 1, "t", 0);
    for (sim::Time t : times) w.instant(1, t, "x");
    w.instant(1, -1500, "x");
    w.finish(0);
  }
  const std::string text = read_text(path);
  REQUIRE(JsonChecker::valid(text));
  for (const char* ts : {"0", "0.001", "0.01", "0.999", "1", "1.5", "1234.567", "1000000.001",
                         "9223372036854775.807", "-1.5"})
    CHECK(text.find(std::string("\"ts\":") + ts + ",") != std::string::npos);
}

TEST_CASE("ChromeTraceWriter: names are escaped into valid JSON") {
  TempDir dir;
  const fs::path path = dir.path() / "t.json";
  {
    sim::ChromeTraceWriter w(path.string());
    w.process(1, "quote\" back\\slash", 0);
    w.track(1, 1, "new\nline \x01 tab\t", 0);
    w.track(2, 1, "caf\xC3\xA9 \xE2\x86\x92 bad\xFF end\xE2\x86", 0);
    w.finish(0);
  }
  const std::string text = read_text(path);
  CHECK(JsonChecker::valid(text));
  CHECK(text.find(R"("quote\" back\\slash")") != std::string::npos);
  CHECK(text.find(R"("new\u000aline \u0001 tab\u0009")") != std::string::npos);
  // Well-formed UTF-8 passes through; malformed bytes become U+FFFD.
  CHECK(text.find("\"caf\xC3\xA9 \xE2\x86\x92 bad\\ufffd end\\ufffd\\ufffd\"") != std::string::npos);
}

TEST_CASE("ChromeTraceWriter: each flow gets its own id") {
  TempDir dir;
  const fs::path path = dir.path() / "t.json";
  {
    sim::ChromeTraceWriter w(path.string());
    w.track(1, 1, "a", 0);
    w.track(2, 1, "b", 0);
    w.flow(1, 0, 2, 5, "f");
    w.flow(2, 5, 1, 9, "f");
    w.finish(10);
  }
  const std::string text = read_text(path);
  CHECK(JsonChecker::valid(text));
  CHECK(text.find(R"("tid":2,"ts":0.005,"dur":0,"name":"f","bind_id":2,"flow_out":true)") != std::string::npos);
  CHECK(text.find(R"("tid":1,"ts":0.009,"dur":0,"name":"f","bind_id":2,"flow_in":true)") != std::string::npos);
}

TEST_CASE("ChromeTraceWriter: the same calls give the same bytes") {
  TempDir dir;
  const fs::path a = dir.path() / "a.json", b = dir.path() / "b.json";
  {
    sim::ChromeTraceWriter w(a.string());
    feed(w);
  }
  {
    sim::ChromeTraceWriter w(b.string());
    feed(w);
  }
  CHECK(read_text(a) == read_text(b));
  CHECK(!read_text(a).empty());
}

TEST_CASE("ChromeTraceWriter: streams while running, and a run that never finishes leaves no file") {
  TempDir dir;
  const fs::path path = dir.path() / "t.json";
  {
    sim::ChromeTraceWriter w(path.string());
    w.track(1, 1, "t", 0);
    for (sim::Time i = 0; i < 40000; ++i) w.slice(1, i * 1000, i * 1000 + 500, kRunning);
    // Past the 1 MiB batch, bytes are in the temporary, not in memory.
    REQUIRE(dir.count() == 1);
    CHECK(fs::file_size(fs::directory_iterator(dir.path())->path()) >= (1u << 20));
    CHECK_FALSE(fs::exists(path));
  }
  CHECK(dir.count() == 0);
}

TEST_CASE("ChromeTraceWriter: a run with no events is still a valid trace") {
  TempDir dir;
  const fs::path path = dir.path() / "t.json";
  {
    sim::ChromeTraceWriter w(path.string());
    w.finish(0);
  }
  CHECK(JsonChecker::valid(read_text(path)));
}

TEST_CASE("ChromeTraceWriter: misuse is reported") {
  TempDir dir;
  {
    sim::ChromeTraceWriter w((dir.path() / "t.json").string());
    w.track(1, 1, "t", 0);
    w.counter_track(2, 1, "c");
    CHECK_THROWS_AS(w.slice(7, 0, 1, kRunning), std::logic_error);
    CHECK_THROWS_AS(w.counter(1, 0, 1), std::logic_error);  // a thread track is no counter
    CHECK_THROWS_AS(w.instant(2, 0, "x"), std::logic_error);
    w.finish(1);
    CHECK_THROWS_AS(w.finish(1), std::logic_error);
  }
  CHECK_THROWS_AS(sim::ChromeTraceWriter((dir.path() / "missing" / "t.json").string()), std::runtime_error);
}
