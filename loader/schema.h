// The keys of each scenario section, declared once, in a table of rows: what
// a key holds, its default, what it means, and how it is read. The key checks
// (an unknown key and its did-you-mean), the reading of each key and the
// scenario reference (docs/scenario-reference.md) all come from these rows,
// so that a key added, renamed or documented is so everywhere at once.
//
// A row whose value goes straight into a field of the section's struct names
// that field, and the generic reader reads it by its type and limits. A row
// whose reading is special names a reader of its own. Rows are read in table
// order: a row may rely on the rows above it (a pool's `kind` before its
// `start_method`).
#pragma once

#include <yaml-cpp/yaml.h>

#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

#include "loader/scenario_distribution.h"
#include "loader/yaml_source.h"
#include "loader/yaml_values.h"
#include "sim/distribution.h"
#include "sim/time.h"

namespace loader {

// What a key holds, as the reference names it and the generic reader reads it.
enum class ValueType {
  Duration,      // a fixed duration: 250ms
  PerByte,       // a fixed duration in fractional nanoseconds, per byte: 0.35ns
  Distribution,  // a duration, or a distribution of durations
  Integer,       // a whole number within the row's limits
  Number,
  Bool,
  Text,
  Identifier,    // a name that can stand in expressions
  Word,          // one of a few words (the row's `choices`)
  Rate,          // 200/s
  Size,          // 1KB
  Cores,         // a list of core numbers
  Operations,    // a list of operations
  Expression,
  Map,           // a map of keys: the section the row's `items` names
  List,          // a list: of the section the row's `items` names, or of `items`
};

// Integer: [low, high]. Duration: at least `low` nanoseconds, or above 0.
struct Limits {
  std::int64_t low = 0;
  std::int64_t high = INT64_MAX;
  bool above_zero = false;
};

// The field of the section's struct a row's value goes into: one of these
// members is set, or none. (Not a std::variant, nor defaulted constructors:
// GCC 12 crashes on such a member's initialiser in a template aggregate.)
template <typename Target>
struct Field {
  int Target::*int_field = nullptr;
  std::int64_t Target::*int64_field = nullptr;  // an integer, or a duration in ns
  std::uint64_t Target::*uint64_field = nullptr;
  double Target::*double_field = nullptr;
  bool Target::*bool_field = nullptr;
  sim::Distribution Target::*distribution_field = nullptr;
  std::string Target::*string_field = nullptr;

  Field() noexcept {}
  Field(int Target::*f) noexcept : int_field(f) {}
  Field(std::int64_t Target::*f) noexcept : int64_field(f) {}
  Field(std::uint64_t Target::*f) noexcept : uint64_field(f) {}
  Field(double Target::*f) noexcept : double_field(f) {}
  Field(bool Target::*f) noexcept : bool_field(f) {}
  Field(sim::Distribution Target::*f) noexcept : distribution_field(f) {}
  Field(std::string Target::*f) noexcept : string_field(f) {}
};

enum class Presence {
  Optional,
  Required,  // missing: "LABEL needs 'KEY'" and the row's `needs`
  Always,    // its reader runs when the key is missing too (with no entry)
};

// Every list item's identity: `name`, also the metric names' part.
inline constexpr const char* kNameKey = "name";

// How messages name a section and its keys.
struct Naming {
  std::string label = {};   // the section: "machine", "thread 'w'", "a thread"
  std::string prefix = {};  // keys as PREFIX KEY: "machine." gives machine.cores
  std::string of = {};      // or, when set, as KEY of OF: count of thread 'w'
  std::string item = {};    // a list item's kind: its name is "thread name"
  std::string where(const std::string& key) const;
};

// One section being read: its entries, where it is, and what it fills.
// `Extra` is what a section's own readers need beyond the struct (the
// program's context, the nodes later checks point at).
template <typename Target, typename Extra>
struct Reading {
  const YamlSource& src;
  const std::vector<YamlEntry>& entries;
  const YAML::Node& at;  // a missing key is reported here: the section's map, mostly
  Naming naming;
  Target& target;
  Extra& extra;
  std::string where(const std::string& key) const { return naming.where(key); }
};

struct NoExtra {};

// One key of a section: a row of its table.
template <typename Target, typename Extra = NoExtra>
struct Key {
  using Reader = void (*)(Reading<Target, Extra>&, const Key&, const YamlEntry*);
  const char* name;
  ValueType type;
  // (Initialisers spelled so that GCC 12 does not crash on them: `= {}` on a
  // class-type member of a template aggregate makes it fail in nothrow_spec_p.)
  Field<Target> field = Field<Target>();
  Limits limits = Limits{};
  const char* unit = "";       // what the number counts, where it counts something
  std::string fallback = "";   // the default, when it is not the field's value in Target{}
  std::string choices = "";    // Word: the words, as "a | b | c"
  const char* items = "";      // Map, List: the section it holds (its title), or what
  Presence presence = Presence::Optional;
  std::string needs = "";      // Required: what "needs 'KEY'" goes on with
  Reader read = nullptr;       // a reading of its own; null: by type into `field`
  std::string doc = "";
};

// A row as the reference shows it, in words.
struct KeyDoc {
  std::string key, type, unit, fallback, doc;
  std::string items;    // the section a Map or List row holds, or empty
  std::string problem;  // empty when the row can be read and documented
};

struct SectionDoc {
  std::string title;  // "machine", "a thread"
  std::string place;  // where it is written: "`machine:` at the top level or in a variant"
  std::string doc;
  std::vector<KeyDoc> keys;
};

// `250ms`, `13.7ms`, `0s`: a duration as a scenario writes it.
std::string format_duration(sim::Time t);
// The shortest text that reads back as `x`: 1, 0.05, 1.4.
std::string format_number(double x);

// "LABEL needs 'KEY'NEEDS" (a name: "needs a 'name'"), then ": EXAMPLE".
std::string needs_message(const std::string& label, const std::string& key, const std::string& needs,
                          const std::string& example);
// "thread 'w'" when the item's name is written as text, else `unnamed`.
std::string item_label(const std::vector<YamlEntry>& entries, const std::string& kind, const std::string& unnamed);

// A fixed duration within `limits`: "WHERE must be above 0", "... at least 2ns".
sim::Time read_bounded_duration(const YamlSource& src, const YAML::Node& node, const std::string& where,
                                const Limits& limits);

namespace schema_detail {

std::string type_text(ValueType type, const Limits& limits, const std::string& choices, const char* items);

template <typename Target>
bool field_fits(ValueType type, const Field<Target>& f) {
  switch (type) {
    case ValueType::Duration:
      return f.int64_field != nullptr;
    case ValueType::PerByte:
    case ValueType::Number:
      return f.double_field != nullptr;
    case ValueType::Distribution:
      return f.distribution_field != nullptr;
    case ValueType::Integer:
      return f.int_field || f.int64_field || f.uint64_field;
    case ValueType::Bool:
      return f.bool_field != nullptr;
    case ValueType::Text:
    case ValueType::Identifier:
      return f.string_field != nullptr;
    default:
      return false;
  }
}

// The field's value in a default-constructed Target, in words.
template <typename Target>
std::string field_default(ValueType type, const Field<Target>& f) {
  static const Target defaults = Target();
  if (f.int_field) return std::to_string(defaults.*f.int_field);
  if (f.uint64_field) return std::to_string(defaults.*f.uint64_field);
  if (f.int64_field)
    return type == ValueType::Duration ? format_duration(defaults.*f.int64_field) : std::to_string(defaults.*f.int64_field);
  if (f.double_field) return format_number(defaults.*f.double_field) + (type == ValueType::PerByte ? "ns" : "");
  if (f.bool_field) return defaults.*f.bool_field ? "true" : "false";
  if (f.distribution_field) {
    const sim::Distribution& d = defaults.*f.distribution_field;
    return d.is_constant() ? format_duration(d.a) : "a distribution";
  }
  if (f.string_field) return (defaults.*f.string_field).empty() ? "none" : defaults.*f.string_field;
  return {};
}

template <typename Target>
void assign_integer(Target& t, const Field<Target>& f, std::int64_t value) {
  if (f.int_field) t.*f.int_field = static_cast<int>(value);
  if (f.int64_field) t.*f.int64_field = value;
  if (f.uint64_field) t.*f.uint64_field = static_cast<std::uint64_t>(value);
}

}  // namespace schema_detail

// A section's table, with its key names in order for the key checks.
template <typename Target, typename Extra = NoExtra>
class Section {
 public:
  using Row = Key<Target, Extra>;

  // `example`, when given, ends every "needs" message of the section.
  Section(std::string title, std::string place, std::string doc, std::vector<Row> keys, std::string example = {})
      : title_(std::move(title)), place_(std::move(place)), doc_(std::move(doc)), keys_(std::move(keys)),
        example_(std::move(example)) {
    for (const auto& k : keys_) names_.push_back(k.name);
  }

  const std::string& title() const { return title_; }
  const std::vector<Row>& keys() const { return keys_; }
  const std::vector<std::string>& names() const { return names_; }
  const std::string& example() const { return example_; }

  SectionDoc doc() const {
    SectionDoc d{title_, place_, doc_, {}};
    for (const auto& k : keys_) d.keys.push_back(describe(k));
    return d;
  }

 private:
  static KeyDoc describe(const Row& k) {
    KeyDoc d;
    d.key = k.name;
    d.type = schema_detail::type_text(k.type, k.limits, k.choices, k.items);
    d.unit = k.unit;
    d.doc = k.doc;
    if (k.type == ValueType::Map || k.type == ValueType::List) d.items = k.items;
    if (k.presence == Presence::Required) {
      d.fallback = "required";
    } else if (!k.fallback.empty()) {
      d.fallback = k.fallback;
    } else {
      d.fallback = schema_detail::field_default<Target>(k.type, k.field);
      if (d.fallback.empty()) d.problem = "no default: give the row a field or a fallback";
    }
    if (!k.read && !schema_detail::field_fits<Target>(k.type, k.field))
      d.problem = "no reader: the row has neither a reader nor a field of its type";
    if (k.doc.empty()) d.problem = "no doc";
    return d;
  }

  std::string title_, place_, doc_;
  std::vector<Row> keys_;
  std::string example_;
  std::vector<std::string> names_;
};

// The generic reading of a row: by its type, into its field.
template <typename Target, typename Extra>
void read_value(Reading<Target, Extra>& r, const Key<Target, Extra>& key, const YamlEntry& e) {
  const std::string where = r.where(key.name);
  Target& t = r.target;
  const auto& field = key.field;
  if (!schema_detail::field_fits<Target>(key.type, field))
    throw std::logic_error(std::string("schema row '") + key.name + "' has no field of its type");
  switch (key.type) {
    case ValueType::Duration:
      t.*field.int64_field = read_bounded_duration(r.src, e.value, where, key.limits);
      return;
    case ValueType::PerByte:
      t.*field.double_field = read_fractional_duration(r.src, e.value, where);
      return;
    case ValueType::Distribution:
      t.*field.distribution_field = read_distribution(r.src, e.value, where);
      return;
    case ValueType::Integer:
      schema_detail::assign_integer(t, field, read_int(r.src, e.value, where, key.limits.low, key.limits.high));
      return;
    case ValueType::Number:
      t.*field.double_field = read_number(r.src, e.value, where);
      return;
    case ValueType::Bool:
      t.*field.bool_field = read_bool(r.src, e.value, where);
      return;
    case ValueType::Text:
      t.*field.string_field = read_string(r.src, e.value, where);
      return;
    case ValueType::Identifier:
      t.*field.string_field = read_identifier(r.src, e.value, where);
      return;
    default:
      return;  // field_fits refused the others
  }
}

// Reads every row in table order; the keys must have been checked.
template <typename Target, typename Extra>
void read_rows(const Section<Target, Extra>& section, Reading<Target, Extra>& r) {
  for (const auto& key : section.keys()) {
    const YamlEntry* e = find_entry(r.entries, key.name);
    if (!e && key.presence == Presence::Required)
      r.src.fail(r.at, needs_message(r.naming.label, key.name, key.needs, section.example()));
    if (!e && key.presence != Presence::Always) continue;
    if (key.read) {
      key.read(r, key, e);
    } else {
      read_value(r, key, *e);
    }
  }
}

// Checks the keys (`in` says where: "in machine") and reads every row.
template <typename Target, typename Extra>
void read_section(const Section<Target, Extra>& section, Reading<Target, Extra>& r, const std::string& in) {
  check_keys(r.src, r.entries, section.names(), in);
  read_rows(section, r);
}

// A list item of `section`: a map with a `name`, "pool 'w'" in messages once
// its name is written, else the section's title ("a pool"). `kind` is the
// item's word ("pool"). Returns the name's node.
template <typename Target, typename Extra>
YAML::Node read_item(const Section<Target, Extra>& section, const std::string& kind, const YamlSource& src,
                     const YAML::Node& item, Target& target, Extra& extra) {
  const auto entries = map_entries(src, item, section.title());
  const std::string label = item_label(entries, kind, section.title());
  Reading<Target, Extra> r{src, entries, item, {label, "", label, kind}, target, extra};
  read_section(section, r, "in " + label);
  return find_entry(entries, kNameKey)->value;
}

}  // namespace loader
