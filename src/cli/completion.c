/*
 * completion.c - bash completion for pgkeel, from the command tree: the
 * commands of each group, the flags of each command, file names after a
 * path flag and the choices after an enumerated one.
 */
#include "cli/cligen.h"

#include <string.h>

/* One case per command path: the words that may come next. */
static void write_words(FILE *out, const Command *cmd, const char *path)
{
	char sub[256];

	fprintf(out, "    \"%s\") words=\"", path);
	for (size_t i = 0; cmd->subs && cmd->subs[i]; i++)
		fprintf(out, "%s%s", i ? " " : "", cmd->subs[i]->name);
	for (size_t i = 0; i < cmd->nflags; i++)
		fprintf(out, "%s--%s", i || cmd->subs ? " " : "",
			flag_name(&cmd->flags[i]));
	fprintf(out, "%s--help\" ;;\n", cmd->subs || cmd->nflags ? " " : "");
	for (size_t i = 0; cmd->subs && cmd->subs[i]; i++) {
		snprintf(sub, sizeof(sub), "%s%s%s", path, *path ? " " : "",
			 cmd->subs[i]->name);
		write_words(out, cmd->subs[i], sub);
	}
}

#define MAX_VALUE_FLAGS 512

typedef struct {
	const char *seen[MAX_VALUE_FLAGS];
	size_t n;
} Seen;

/* True the first time a name is met: a flag means the same wherever it
 * appears, so one case per name. */
static bool first_time(Seen *seen, const char *name)
{
	for (size_t i = 0; i < seen->n; i++) {
		if (strcmp(seen->seen[i], name) == 0)
			return false;
	}
	if (seen->n < MAX_VALUE_FLAGS)
		seen->seen[seen->n++] = name;
	return true;
}

static void write_value(FILE *out, const FlagDef *def)
{
	const ValueSpec *spec = flag_spec(def);

	fprintf(out, "    --%s) ", flag_name(def));
	if (spec->type == VAL_ABSPATH)
		fprintf(out, "COMPREPLY=($(compgen -f -- \"$cur\")); ");
	else if (spec->type == VAL_BOOL)
		fprintf(out, "COMPREPLY=($(compgen -W 'true false' -- "
			     "\"$cur\")); ");
	else if (spec->type == VAL_ENUM) {
		fprintf(out, "COMPREPLY=($(compgen -W '");
		for (const char *p = spec->choices; *p; p++)
			fputc(*p == '|' ? ' ' : *p, out);
		fprintf(out, "' -- \"$cur\")); ");
	}
	fprintf(out, "return ;;\n");
}

/* What follows a flag that takes a value: file names after a path,
 * the choices of an enumeration, nothing to offer for free text. */
static void write_values(FILE *out, const Command *cmd, Seen *seen)
{
	for (size_t i = 0; i < cmd->nflags; i++) {
		const FlagDef *def = &cmd->flags[i];
		if (flag_metavar(def) && first_time(seen, flag_name(def)))
			write_value(out, def);
	}
	for (size_t i = 0; cmd->subs && cmd->subs[i]; i++)
		write_values(out, cmd->subs[i], seen);
}

void completion_write_bash(FILE *out, const Command *root)
{
	fputs("# bash completion for pgkeel, written by `pgkeel __generate "
	      "bash-completion`\n# from the same tables as `pgkeel --help`.\n"
	      "_pgkeel() {\n"
	      "  local cur=${COMP_WORDS[COMP_CWORD]} path='' words='' i\n"
	      "  local prev=${COMP_WORDS[COMP_CWORD-1]}\n"
	      "  COMPREPLY=()\n"
	      "  # the value of a flag\n"
	      "  case $prev in\n",
	      out);
	Seen seen = {.n = 0};
	write_values(out, root, &seen);
	fputs("  esac\n"
	      "  # the commands typed so far, up to the first flag\n"
	      "  for ((i = 1; i < COMP_CWORD; i++)); do\n"
	      "    [[ ${COMP_WORDS[i]} == -* ]] && break\n"
	      "    path+=${path:+ }${COMP_WORDS[i]}\n"
	      "  done\n"
	      "  case $path in\n",
	      out);
	write_words(out, root, "");
	fputs("  esac\n"
	      "  COMPREPLY=($(compgen -W \"$words\" -- \"$cur\"))\n"
	      "}\n"
	      "complete -F _pgkeel pgkeel\n",
	      out);
}
