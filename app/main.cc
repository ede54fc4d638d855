#include "app/cli.h"

int main(int argc, char** argv) { return app::main_cli(argc, argv); }
