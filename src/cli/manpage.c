/*
 * manpage.c - a command group's man page (roff), from its Command and
 * flag tables.
 */
#include "cli/cligen.h"

#include <ctype.h>
#include <string.h>

#include "common/version.h"

/* Text for roff: backslashes and dashes escaped, a line never starting
 * with a control character, a blank line a new paragraph and a single
 * line break a space (help text is wrapped for terminals). */
static void roff(FILE *out, const char *text)
{
	bool line_start = true;

	for (const char *p = text; *p; p++) {
		if (*p == '\n' && p[1] == '\n') {
			fputs("\n.PP\n", out);
			p++;
			line_start = true;
			continue;
		}
		if (*p == '\n') {
			fputc(line_start ? '\n' : ' ', out);
			continue;
		}
		if (line_start && (*p == '.' || *p == '\''))
			fputs("\\&", out);
		line_start = false;
		if (*p == '\\')
			fputs("\\e", out);
		else if (*p == '-')
			fputs("\\-", out);
		else
			fputc(*p, out);
	}
}

void manpage_name(const Command *cmd, bool is_root, char *buf, size_t len)
{
	snprintf(buf, len, is_root ? "pgkeel.1" : "pgkeel-%s.1", cmd->name);
}

static void write_flag(FILE *out, const FlagDef *def)
{
	const char *metavar = flag_metavar(def);

	fputs(".TP\n\\fB\\-\\-", out);
	roff(out, flag_name(def));
	fputs("\\fR", out);
	if (metavar) {
		fputs(" \\fI", out);
		roff(out, metavar);
		fputs("\\fR", out);
	}
	fputc('\n', out);
	roff(out, flag_help(def));
	if (def->required)
		fputs(" (required)", out);
	if (flag_default(def)) {
		fputs(". Default: ", out);
		roff(out, flag_default(def));
	}
	fputc('\n', out);
}

/* "pgkeel show state [FLAGS] ARGS" in bold and italics. */
static void write_usage(FILE *out, const char *path, const Command *cmd)
{
	fputs("\\fB", out);
	roff(out, path);
	fputs("\\fR", out);
	if (cmd->subs)
		fputs(" \\fICOMMAND\\fR", out);
	if (cmd->nflags)
		fputs(" [\\fIFLAGS\\fR]", out);
	if (cmd->args_usage) {
		fputs(" \\fI", out);
		roff(out, cmd->args_usage);
		fputs("\\fR", out);
	}
	fputs("\n.br\n", out);
}

static void write_flags(FILE *out, const Command *cmd)
{
	for (size_t i = 0; i < cmd->nflags; i++)
		write_flag(out, &cmd->flags[i]);
	fputs(".TP\n\\fB\\-\\-help\\fR\nshow this help\n", out);
}

/* Every command under cmd, one subsection each, path as its title. */
static void write_commands(FILE *out, const Command *cmd, const char *path)
{
	char sub[256];

	if (!cmd->subs) {
		fputs(".SS \"", out);
		roff(out, path);
		fputs("\"\n", out);
		roff(out, cmd->description ? cmd->description : cmd->summary);
		fputc('\n', out);
		write_flags(out, cmd);
		return;
	}
	for (size_t i = 0; cmd->subs[i]; i++) {
		snprintf(sub, sizeof(sub), "%s %s", path, cmd->subs[i]->name);
		write_commands(out, cmd->subs[i], sub);
	}
}

static void write_synopsis(FILE *out, const Command *cmd, const char *path)
{
	char sub[256];

	if (!cmd->subs) {
		write_usage(out, path, cmd);
		return;
	}
	for (size_t i = 0; cmd->subs[i]; i++) {
		snprintf(sub, sizeof(sub), "%s %s", path, cmd->subs[i]->name);
		write_synopsis(out, cmd->subs[i], sub);
	}
}

static void write_header(FILE *out, const char *title, const char *summary)
{
	char upper[128];
	size_t n = 0;

	for (; title[n] && n < sizeof(upper) - 1; n++)
		upper[n] = (char)toupper((unsigned char)title[n]);
	upper[n] = '\0';
	fputs(".TH ", out);
	roff(out, upper);
	fprintf(out, " 1 \"\" \"pgkeel %s\" \"pgkeel manual\"\n.SH NAME\n",
		PGKEEL_VERSION);
	roff(out, title);
	fputs(" \\- ", out);
	roff(out, summary);
	fputs("\n", out);
}

static void write_root(FILE *out, const Command *root)
{
	char name[128];

	write_header(out, "pgkeel", root->summary);
	fputs(".SH SYNOPSIS\n", out);
	write_usage(out, "pgkeel", root);
	fputs("\\fBpgkeel \\-\\-version\\fR\n.SH DESCRIPTION\n", out);
	roff(out, root->description);
	fputs("\n.SH COMMANDS\n", out);
	for (size_t i = 0; root->subs[i]; i++) {
		fputs(".TP\n\\fB", out);
		roff(out, root->subs[i]->name);
		fputs("\\fR\n", out);
		roff(out, root->subs[i]->summary);
		fputs("; see \\fBpgkeel\\-", out);
		roff(out, root->subs[i]->name);
		fputs("\\fR(1)\n", out);
	}
	fputs(".SH SEE ALSO\n", out);
	for (size_t i = 0; root->subs[i]; i++) {
		manpage_name(root->subs[i], false, name, sizeof(name));
		name[strlen(name) - 2] = '\0'; /* without ".1" */
		fputs(i ? ",\n\\fB" : "\\fB", out);
		roff(out, name);
		fputs("\\fR(1)", out);
	}
	fputs("\n", out);
}

void manpage_write(FILE *out, const Command *cmd, bool is_root)
{
	char title[128], path[128];

	if (is_root) {
		write_root(out, cmd);
		return;
	}
	snprintf(title, sizeof(title), "pgkeel-%s", cmd->name);
	snprintf(path, sizeof(path), "pgkeel %s", cmd->name);
	write_header(out, title, cmd->summary);
	fputs(".SH SYNOPSIS\n", out);
	write_synopsis(out, cmd, path);
	if (cmd->description && cmd->subs) {
		fputs(".SH DESCRIPTION\n", out);
		roff(out, cmd->description);
		fputc('\n', out);
	}
	fputs(cmd->subs ? ".SH COMMANDS\n" : ".SH DESCRIPTION\n", out);
	write_commands(out, cmd, path);
	fputs(".SH SEE ALSO\n\\fBpgkeel\\fR(1)\n", out);
}
