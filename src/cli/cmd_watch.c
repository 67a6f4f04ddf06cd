/*
 * cmd_watch.c - `pgkeel watch`: a live view of a formation (nodes,
 * states, lag behind the primary, health, the latest events), refreshed
 * every second. On a terminal it draws with ncurses (loaded then,
 * cli/curseslib.h) and quits on q; when stdout is not a terminal it
 * prints the same view periodically.
 */
#include "cli/command.h"

#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/curseslib.h"
#include "cli/nodeconf.h"
#include "common/exitcode.h"
#include "common/signals.h"
#include "common/termtext.h"
#include "common/timeutil.h"

#define EVENTS_SHOWN 8

typedef struct {
	Store *store;
	const char *formation;
	StoreFormation *f;
	StoreEvent events[EVENTS_SHOWN];
	size_t nevents;
} View;

static Lsn primary_lsn(const StoreFormation *f)
{
	const StoreNode *p = store_formation_primary(f);
	return p ? p->report.lsn : LSN_INVALID;
}

/* Renders the view as lines of text into buf. */
static void render(const View *v, char *buf, size_t len)
{
	char when[40], lsn[LSN_TEXT_LEN];
	size_t off = 0;
	Lsn top = primary_lsn(v->f);

#define OUT(...)                                                          \
	off += (size_t)snprintf(buf + off, off < len ? len - off : 0,      \
				__VA_ARGS__)
	time_format_wall(time_wall_ms(), when, sizeof(when));
	OUT("pgkeel watch  formation %s  %s%s  %s\n\n", v->f->name,
	    v->f->health, v->f->paused ? " (paused)" : "", when);
	OUT("%-12s %4s  %-21s %-12s %10s  %-17s %-17s\n", "Name", "Node",
	    "Host:Port", "LSN", "Lag bytes", "Current State",
	    "Assigned State");
	for (size_t i = 0; i < v->f->nnodes; i++) {
		const StoreNode *n = &v->f->nodes[i];
		char hp[300];
		snprintf(hp, sizeof(hp), "%s:%d", n->host, n->port);
		OUT("%-12s %4d  %-21s %-12s %10llu  %-17s %-17s%s\n", n->name,
		    n->id, hp, lsn_format(n->report.lsn, lsn, sizeof(lsn)),
		    (unsigned long long)lsn_ahead_by(top, n->report.lsn),
		    state_name(n->reported), state_name(n->goal),
		    n->reachable ? "" : "  unreachable");
	}
	OUT("\nLatest events:\n");
	for (size_t i = 0; i < v->nevents; i++) {
		char name[256], desc[2048];
		time_format_wall(v->events[i].time_ms, when, sizeof(when));
		OUT("%s  %-10s %s\n", when,
		    termtext(v->events[i].node_name, name, sizeof(name)),
		    termtext(v->events[i].description, desc, sizeof(desc)));
	}
#undef OUT
}

static bool refresh_view(View *v)
{
	return store_get_formation(v->store, v->formation, v->f) &&
	       store_events(v->store, v->formation, EVENTS_SHOWN, v->events,
			    &v->nevents);
}

static int watch_plain(View *v)
{
	char text[16384];

	signals_install();
	while (signals_stop_requested() == SIGNAL_STOP_NONE) {
		if (!refresh_view(v)) {
			fprintf(stderr, "watch: %s\n", v->store->error);
			return EXIT_STORE;
		}
		render(v, text, sizeof(text));
		printf("%s\n", text);
		fflush(stdout);
		time_sleep_ms(1000);
	}
	return EXIT_OK;
}

/* Whether the terminal is gone (its window closed, its tmux session
 * killed): then getch() fails at once instead of waiting, and the loop
 * must end rather than spin. */
static bool terminal_lost(int64_t waited_ms)
{
	struct pollfd pfd = {.fd = STDIN_FILENO, .events = POLLIN};

	if (poll(&pfd, 1, 0) < 0 ||
	    (pfd.revents & (POLLHUP | POLLERR | POLLNVAL)) != 0)
		return true;
	return waited_ms < 100 && !isatty(STDIN_FILENO);
}

static int watch_curses(View *v, const CursesLib *c)
{
	char text[16384];
	int rc = EXIT_OK;
	WINDOW *win = c->initscr();

	c->cbreak();
	c->noecho();
	c->wtimeout(win, 1000); /* getch waits at most a second: the refresh */
	for (;;) {
		if (!refresh_view(v)) {
			snprintf(text, sizeof(text), "state store: %s\n",
				 v->store->error);
		} else {
			render(v, text, sizeof(text));
		}
		c->werase(win);
		if (c->wmove(win, 0, 0) != ERR)
			c->waddnstr(win, text, -1);
		/* (...): getmaxy is also a macro of curses.h */
		if (c->wmove(win, (c->getmaxy)(win) - 1, 0) != ERR)
			c->waddnstr(win, "q: quit", -1);
		c->wrefresh(win);
		int64_t asked = time_monotonic_ms();
		int ch = c->wgetch(win);
		if (ch == 'q' || ch == 'Q')
			break;
		if (ch == ERR && terminal_lost(time_monotonic_ms() - asked)) {
			rc = EXIT_FAILED;
			break;
		}
	}
	c->endwin();
	if (rc != EXIT_OK)
		fprintf(stderr, "watch: the terminal went away\n");
	return rc;
}

/* ncurses on a terminal; the plain view when stdout is not one, or when
 * the library cannot be loaded (said on stderr). */
static int watch(View *v)
{
	char err[512];
	const CursesLib *c = NULL;

	if (isatty(STDOUT_FILENO)) {
		c = curseslib_load(err, sizeof(err));
		if (!c)
			fprintf(stderr, "watch: %s; printing the view instead\n",
				err);
	}
	return c ? watch_curses(v, c) : watch_plain(v);
}

static int run_watch(const Command *cmd, Flags *flags)
{
	Config cfg;
	char err[1024];
	View v = {0};
	(void)cmd;

	if (!nodeconf_load(flags, &cfg, false, err, sizeof(err))) {
		fprintf(stderr, "watch: %s\n", err);
		return EXIT_BAD_CONFIG;
	}
	v.store = nodeconf_open_store(&cfg, err, sizeof(err));
	v.f = calloc(1, sizeof(StoreFormation));
	v.formation = nodeconf_formation(&cfg);
	if (!v.store || !v.f) {
		fprintf(stderr, "watch: %s\n", err);
		free(v.f);
		return EXIT_STORE;
	}
	int rc = watch(&v);
	store_close(v.store);
	free(v.f);
	return rc;
}

static const FlagDef watch_flags[] = {
	FLAG_OF(S_PGDATA), FLAG_OF(S_MONITOR), FLAG_OF(S_FORMATION)};

const Command cmd_watch = {
	.name = "watch",
	.summary = "live view of the formation",
	.description =
		"Nodes, states, lag behind the primary, health and the latest "
		"events,\nrefreshed every second; q quits. When stdout is not a "
		"terminal, the view\nis printed every second instead.",
	.flags = FLAGS(watch_flags),
	.run = run_watch,
};
