/*
 * cligen.c - `pgkeel __generate`: man pages and bash completion from the
 * command tree.
 */
#include "cli/cligen.h"

#include <errno.h>
#include <string.h>

#include "common/exitcode.h"

static bool write_page(const char *dir, const Command *cmd, bool is_root)
{
	char name[128], path[4200];

	manpage_name(cmd, is_root, name, sizeof(name));
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	FILE *f = fopen(path, "w");
	if (!f) {
		fprintf(stderr, "%s: %s\n", path, strerror(errno));
		return false;
	}
	manpage_write(f, cmd, is_root);
	return fclose(f) == 0;
}

static int write_man_pages(const Command *root, const char *dir)
{
	if (!write_page(dir, root, true))
		return EXIT_FAILED;
	for (size_t i = 0; root->subs[i]; i++) {
		if (!write_page(dir, root->subs[i], false))
			return EXIT_FAILED;
	}
	return EXIT_OK;
}

int cligen_main(const Command *root, int argc, char **argv)
{
	if (argc == 3 && strcmp(argv[1], "man") == 0)
		return write_man_pages(root, argv[2]);
	if (argc == 2 && strcmp(argv[1], "bash-completion") == 0) {
		completion_write_bash(stdout, root);
		return EXIT_OK;
	}
	fprintf(stderr, "usage: pgkeel %s man DIR | bash-completion\n",
		CLIGEN_COMMAND);
	return EXIT_USAGE;
}
