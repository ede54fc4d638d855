#include "sim/chrome_trace.h"
#include "sim/text.h"

#include <charconv>
#include <stdexcept>

namespace sim {

namespace {

constexpr std::size_t kFlushAt = 1 << 20;

void append_int(std::string& out, std::int64_t v) {
  char digits[24];
  const auto r = std::to_chars(digits, digits + sizeof digits, v);
  out.append(digits, r.ptr);
}

// Nanoseconds as microseconds, exactly: 1234567 -> "1234.567", 1500 -> "1.5".
void append_us(std::string& out, Time ns) {
  std::uint64_t a = static_cast<std::uint64_t>(ns);
  if (ns < 0) {
    out += '-';
    a = 0 - a;
  }
  char digits[24];
  out.append(digits, std::to_chars(digits, digits + sizeof digits, a / 1000).ptr);
  unsigned frac = static_cast<unsigned>(a % 1000);
  if (frac == 0) return;
  char f[4] = {'.', static_cast<char>('0' + frac / 100), static_cast<char>('0' + frac / 10 % 10),
               static_cast<char>('0' + frac % 10)};
  std::size_t n = 4;
  while (f[n - 1] == '0') --n;
  out.append(f, n);
}


void append_string(std::string& out, std::string_view s) {
  static constexpr char kHex[] = "0123456789abcdef";
  out += '"';
  for (std::size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c < 0x20) {
      out += "\\u00";
      out += kHex[c >> 4];
      out += kHex[c & 15];
    } else if (c >= 0x80) {
      const std::size_t n = utf8_length(s, i);
      if (n == 0) {
        out += "\\ufffd";
        ++i;
        continue;
      }
      out.append(s.substr(i, n));
      i += n;
      continue;
    } else {
      out += static_cast<char>(c);
    }
    ++i;
  }
  out += '"';
}

}  // namespace

ChromeTraceWriter::ChromeTraceWriter(std::string path) : out_(std::move(path)) {
  buf_.reserve(kFlushAt + 4096);
  buf_ = "{\"displayTimeUnit\":\"ns\",\"traceEvents\":[";
}

const ChromeTraceWriter::Track& ChromeTraceWriter::find(TrackId id, bool counter) const {
  const auto it = tracks_.find(id);
  if (it == tracks_.end() || it->second.is_counter != counter)
    throw std::logic_error("trace: event on undeclared " + std::string(counter ? "counter " : "") +
                           "track " + std::to_string(id));
  return it->second;
}

void ChromeTraceWriter::begin_event() {
  buf_ += first_event_ ? "\n{" : ",\n{";
  first_event_ = false;
}

void ChromeTraceWriter::end_event() {
  buf_ += '}';
  if (buf_.size() >= kFlushAt) {
    out_.write(buf_);
    buf_.clear();
  }
}

void ChromeTraceWriter::process(std::uint32_t pid, std::string_view name, int sort_index) {
  begin_event();
  buf_ += "\"ph\":\"M\",\"name\":\"process_name\",\"pid\":";
  append_int(buf_, pid);
  buf_ += ",\"args\":{\"name\":";
  append_string(buf_, name);
  buf_ += '}';
  end_event();
  begin_event();
  buf_ += "\"ph\":\"M\",\"name\":\"process_sort_index\",\"pid\":";
  append_int(buf_, pid);
  buf_ += ",\"args\":{\"sort_index\":";
  append_int(buf_, sort_index);
  buf_ += '}';
  end_event();
}

void ChromeTraceWriter::track(TrackId id, std::uint32_t pid, std::string_view name, int sort_index) {
  Track& t = tracks_[id];
  t.is_counter = false;
  t.ids = "\"pid\":";
  append_int(t.ids, pid);
  t.ids += ",\"tid\":";
  append_int(t.ids, id);

  begin_event();
  buf_ += "\"ph\":\"M\",\"name\":\"thread_name\",";
  buf_ += t.ids;
  buf_ += ",\"args\":{\"name\":";
  append_string(buf_, name);
  buf_ += '}';
  end_event();
  begin_event();
  buf_ += "\"ph\":\"M\",\"name\":\"thread_sort_index\",";
  buf_ += t.ids;
  buf_ += ",\"args\":{\"sort_index\":";
  append_int(buf_, sort_index);
  buf_ += '}';
  end_event();
}

void ChromeTraceWriter::counter_track(TrackId id, std::uint32_t pid, std::string_view name) {
  // No event: a counter exists in the trace through its samples, which carry
  // the name. Without a tid they belong to the process itself.
  Track& t = tracks_[id];
  t.is_counter = true;
  t.ids = "\"name\":";
  append_string(t.ids, name);
  t.ids += ",\"pid\":";
  append_int(t.ids, pid);
}

void ChromeTraceWriter::begin_complete_event(TrackId track, Time begin, Time end) {
  const Track& t = find(track, false);
  begin_event();
  buf_ += "\"ph\":\"X\",";
  buf_ += t.ids;
  buf_ += ",\"ts\":";
  append_us(buf_, begin);
  buf_ += ",\"dur\":";
  append_us(buf_, end - begin);
  buf_ += ",\"name\":";
}

void ChromeTraceWriter::slice(TrackId track, Time begin, Time end, const SliceStyle& style) {
  begin_complete_event(track, begin, end);
  append_string(buf_, style.name);
  end_event();
}

void ChromeTraceWriter::labelled_slice(TrackId track, Time begin, Time end, const SliceStyle& style,
                                       std::string_view label) {
  begin_complete_event(track, begin, end);
  append_string(buf_, label);
  buf_ += ",\"args\":{\"state\":";
  append_string(buf_, style.name);
  buf_ += '}';
  end_event();
}

void ChromeTraceWriter::counter(TrackId id, Time t, std::int64_t value) {
  const Track& c = find(id, true);
  begin_event();
  buf_ += "\"ph\":\"C\",";
  buf_ += c.ids;
  buf_ += ",\"ts\":";
  append_us(buf_, t);
  buf_ += ",\"args\":{\"value\":";
  append_int(buf_, value);
  buf_ += '}';
  end_event();
}

void ChromeTraceWriter::instant(TrackId track, Time t, const char* name) {
  const Track& tr = find(track, false);
  begin_event();
  buf_ += "\"ph\":\"i\",\"s\":\"t\",";
  buf_ += tr.ids;
  buf_ += ",\"ts\":";
  append_us(buf_, t);
  buf_ += ",\"name\":";
  append_string(buf_, name);
  end_event();
}

void ChromeTraceWriter::flow_anchor(TrackId track, Time t, const char* name, std::uint64_t id,
                                    bool out) {
  const Track& tr = find(track, false);
  begin_event();
  buf_ += "\"ph\":\"X\",";
  buf_ += tr.ids;
  buf_ += ",\"ts\":";
  append_us(buf_, t);
  buf_ += ",\"dur\":0,\"name\":";
  append_string(buf_, name);
  buf_ += ",\"bind_id\":";
  append_int(buf_, static_cast<std::int64_t>(id));
  buf_ += out ? ",\"flow_out\":true" : ",\"flow_in\":true";
  end_event();
}

void ChromeTraceWriter::flow(TrackId from, Time t_from, TrackId to, Time t_to, const char* name) {
  const std::uint64_t id = next_flow_id_++;
  flow_anchor(from, t_from, name, id, true);
  flow_anchor(to, t_to, name, id, false);
}

void ChromeTraceWriter::finish(Time end) {
  if (finished_) throw std::logic_error("ChromeTraceWriter::finish called twice");
  finished_ = true;
  buf_ += "\n],\"otherData\":{\"generator\":\"gilsim\",\"end_us\":";
  append_us(buf_, end);
  buf_ += "}}\n";
  out_.write(buf_);
  buf_.clear();
  out_.commit();
}

}  // namespace sim
