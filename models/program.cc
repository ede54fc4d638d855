#include "models/program.h"

#include <algorithm>

namespace models {

Program repeat_block(std::int64_t count, Program body) {
  Program p;
  p.reserve(body.size() + 2);
  Op begin;
  begin.kind = OpKind::RepeatBegin;
  begin.count = count;
  p.push_back(std::move(begin));
  for (Op& o : body) p.push_back(std::move(o));
  Op end;
  end.kind = OpKind::RepeatEnd;
  p.push_back(std::move(end));
  link_repeats(p);
  return p;
}

void link_repeats(Program& program) {
  std::vector<std::uint32_t> open;
  for (std::uint32_t i = 0; i < program.size(); ++i) {
    if (program[i].kind == OpKind::RepeatBegin) open.push_back(i);
    if (program[i].kind == OpKind::RepeatEnd) {
      program[i].jump = open.back();
      program[open.back()].jump = i;
      open.pop_back();
    }
  }
}

int loop_depth(const Program& program) {
  int depth = 0, max_depth = 0;
  for (const Op& o : program) {
    if (o.kind == OpKind::RepeatBegin) max_depth = std::max(max_depth, ++depth);
    if (o.kind == OpKind::RepeatEnd) --depth;
  }
  return max_depth;
}

}  // namespace models
