/*
 * cligen.h - what the Debian package (and `make install`) makes from the
 * command tree of command.c and the flag tables of every command: one man
 * page per command group, and the bash completion. `--help` prints from
 * the same tables, so the three never disagree.
 *
 *   pgkeel __generate man DIR          writes pgkeel.1, pgkeel-GROUP.1...
 *   pgkeel __generate bash-completion  prints the completion script
 *
 * Not a command: it is not listed in any help.
 */
#ifndef PGK_CLIGEN_H
#define PGK_CLIGEN_H

#include <stdbool.h>
#include <stdio.h>

#include "cli/command.h"

#define CLIGEN_COMMAND "__generate"

/* argv[0] is CLIGEN_COMMAND; root the tree of command.c. */
int cligen_main(const Command *root, int argc, char **argv);

/* The man page of a top-level command (or of the root, "pgkeel"). */
void manpage_write(FILE *out, const Command *cmd, bool is_root);
/* The file name of that page: "pgkeel.1", "pgkeel-show.1". */
void manpage_name(const Command *cmd, bool is_root, char *buf, size_t len);

void completion_write_bash(FILE *out, const Command *root);

#endif
