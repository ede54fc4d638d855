#include "models/resource.h"

namespace models {

bool Resource::request(const Request& r, sim::Time now) {
  ++requests_;
  if (in_use_ < capacity_) {
    ++in_use_;
    in_use_stat_.set(now, in_use_);
    return true;
  }
  ++queued_;
  queue_.push_back(r);
  if (queue_.size() > queue_max_) queue_max_ = queue_.size();
  return false;
}

std::optional<Resource::Request> Resource::release(sim::Time now) {
  if (queue_.empty()) {
    --in_use_;
    in_use_stat_.set(now, in_use_);
    return std::nullopt;
  }
  Request next = queue_.front();
  queue_.pop_front();
  wait_ += now - next.since;
  return next;
}

}  // namespace models
