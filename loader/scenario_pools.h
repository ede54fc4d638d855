// `pools:` executors (concurrent.futures, multiprocessing.Pool) and
// Celery-like workers behind a broker, and `resources:`, things with a
// capacity and a queue (a database's connections, a broker).
#pragma once

#include <yaml-cpp/yaml.h>

#include <vector>

#include "loader/schema.h"
#include "loader/yaml_source.h"
#include "models/config.h"

namespace loader {

std::vector<models::ResourceConfig> read_resources(const YamlSource& src, const YAML::Node& node);

// Made when the program starts. A celery pool's broker is one of
// `resources`; null: the broker's name is not checked (the top level of a
// file whose variants define the resources).
std::vector<models::PoolConfig> read_pools(const YamlSource& src, const YAML::Node& node, int machine_cores,
                                           const std::vector<models::ResourceConfig>* resources);

// The reference's sections: a pool, a resource.
std::vector<SectionDoc> pool_docs();

}  // namespace loader
