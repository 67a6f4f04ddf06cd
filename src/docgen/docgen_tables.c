/*
 * docgen_tables.c - the tables of docs/ as Markdown, written from the
 * states, the rules, a candidate's flaws, the keeper's transitions and
 * the run-time settings.
 */
#include <stdio.h>

#include "common/nodetags.h"
#include "common/rtsettings.h"
#include "docgen/docgen.h"
#include "fsm/fsm.h"
#include "keeper/transitions.h"

/* One cell: " text |", a "|" in text escaped. */
static void cell(FILE *out, const char *text)
{
	fputc(' ', out);
	for (const char *p = text; *p; p++) {
		if (*p == '|')
			fputc('\\', out);
		fputc(*p, out);
	}
	fputs(" |", out);
}

void docgen_states(FILE *out)
{
	fputs("| state | meaning | Postgres | assigned when |\n"
	      "|---|---|---|---|\n",
	      out);
	for (int s = 0; s < NS_COUNT; s++) {
		const StateInfo *i = state_info((NodeState)s);
		fprintf(out, "| `%s` |", i->name);
		cell(out, i->meaning);
		cell(out, i->postgres);
		cell(out, i->assigned);
		fputc('\n', out);
	}
}

/* A mask of states: their names, or "any but" the others when those
 * are fewer. */
static void states_of(FILE *out, unsigned mask)
{
	int n = 0;
	bool first = true;

	for (int s = 0; s < NS_COUNT; s++)
		n += (mask & FROM(s)) != 0;
	bool but = n > NS_COUNT / 2;
	fputs(but ? " any but " : " ", out);
	for (int s = 0; s < NS_COUNT; s++) {
		if (((mask & FROM(s)) != 0) == but)
			continue;
		fprintf(out, "%s%s", first ? "" : ", ", state_name(s));
		first = false;
	}
	fputs(" |", out);
}

void docgen_flaws(FILE *out)
{
	fputs("| flaw (`--json`) | what `pgkeel explain` says |\n"
	      "|---|---|\n",
	      out);
	for (int i = 0; i < FC_COUNT; i++) {
		fprintf(out, "| `%s` |", fsm_flaw_name(1u << i));
		cell(out, fsm_flaw_text(1u << i));
		fputc('\n', out);
	}
}

void docgen_rule_row(FILE *out, const FsmRule *r)
{
	fputc('|', out);
	states_of(out, r->from);
	cell(out, state_name(r->to));
	cell(out, r->needs_reached ? "yes" : "no");
	cell(out, r->comment);
	fputc('\n', out);
}

void docgen_rules(FILE *out)
{
	fputs("| from (goal) | to | reached | rule |\n|---|---|---|---|\n", out);
	for (size_t i = 0; i < fsm_nrules; i++)
		docgen_rule_row(out, &fsm_rules[i]);
}

void docgen_keeper(FILE *out)
{
	fputs("| from | to | what the keeper does |\n|---|---|---|\n", out);
	for (size_t i = 0; i < keeper_ntransitions; i++) {
		const KeeperTransition *t = &keeper_transitions[i];
		fputc('|', out);
		cell(out, t->from == KEEPER_ANY ? "any" : state_name(t->from));
		cell(out, state_name(t->to));
		cell(out, t->what);
		fputc('\n', out);
	}
}

void docgen_node_tags(FILE *out)
{
	fputs("| tag | effect |\n|---|---|\n", out);
	for (int i = 0; node_tag_name(i); i++) {
		fprintf(out, "| `%s` |", node_tag_name(i));
		cell(out, node_tag_doc(i));
		fputc('\n', out);
	}
}

void docgen_runtime_settings(FILE *out)
{
	char values[64];

	fputs("| NAME | values | default | effect |\n|---|---|---|---|\n", out);
	for (int id = 0; id < RS_COUNT; id++) {
		const RuntimeSettingDef *d = runtime_setting(id);
		runtime_setting_values(d, "/", values, sizeof(values));
		fputc('|', out);
		cell(out, d->name);
		cell(out, values);
		cell(out, d->defval[0] ? d->defval : "none");
		cell(out, d->doc);
		fputc('\n', out);
	}
}
