/*
 * main.c - the pgkeel binary: hands the command line to the CLI.
 */
#include "cli/command.h"

int main(int argc, char **argv)
{
	return cli_main(argc, argv);
}
