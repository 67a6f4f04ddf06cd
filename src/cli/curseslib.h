/*
 * curseslib.h - ncurses, loaded when `pgkeel watch` draws on a terminal
 * (common/dynlib.h): no other command, the services above all, maps it
 * nor libtinfo (docs/benchmarks.md).
 */
#ifndef PGK_CURSESLIB_H
#define PGK_CURSESLIB_H

#include <stddef.h>
#include <curses.h>

/* The library's file; the package's dependency (debian/control) names
 * the same version. */
#define CURSESLIB_SONAME "libncursesw.so.6"

/* The functions cmd_watch.c calls, by their names in the library (the
 * curses.h macros on stdscr, getch() and the like, are not there). */
#define CURSESLIB_FUNCTIONS(X)                                               \
	X(initscr)                                                           \
	X(endwin)                                                            \
	X(cbreak)                                                            \
	X(noecho)                                                            \
	X(wtimeout)                                                          \
	X(werase)                                                            \
	X(wmove)                                                             \
	X(waddnstr)                                                          \
	X(wrefresh)                                                          \
	X(wgetch)                                                            \
	X(getmaxy)

typedef struct {
#define CURSESLIB_FIELD(name) __typeof__(&name) name;
	CURSESLIB_FUNCTIONS(CURSESLIB_FIELD)
#undef CURSESLIB_FIELD
} CursesLib;

/* The library's functions, loaded at the first call; NULL with err set
 * when it cannot be loaded. */
const CursesLib *curseslib_load(char *err, size_t errlen);

#endif
