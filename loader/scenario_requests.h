// `requests:` streams of requests to a server: how they arrive, and what
// each kind of request does (its program). A stream's programs are compiled
// once the threads are read, because what serves the stream decides what
// they may do: an asyncio loop's requests are tasks (they may await), a
// thread's are run by that thread.
#pragma once

#include <yaml-cpp/yaml.h>

#include <string>
#include <vector>

#include "loader/scenario_program.h"
#include "loader/schema.h"
#include "loader/yaml_source.h"
#include "models/config.h"

namespace loader {

// A stream as read before its servers are known: its programs are empty.
struct StreamItem {
  models::RequestStream stream;
  YAML::Node name_node;
  std::vector<YAML::Node> runs;  // each request type's `run`, in mix order
};

std::vector<StreamItem> read_streams(const YamlSource& src, const YAML::Node& node);

// The reference's sections: a request stream, its arrival, a request type.
std::vector<SectionDoc> request_docs();

std::vector<std::string> stream_names(const std::vector<StreamItem>& streams);

// The streams, each served by someone (threads or asyncio loops, not both,
// as `servers` says), with their programs compiled in the servers' context.
// `check_names` false (the top level of a file whose variants complete it):
// a stream nobody serves is left uncompiled instead of being an error.
std::vector<models::RequestStream> finish_streams(const YamlSource& src, std::vector<StreamItem> streams,
                                                  const std::vector<StreamServer>& servers,
                                                  const ProgramContext& context, bool check_names);

}  // namespace loader
