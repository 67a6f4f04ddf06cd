/*
 * termtext.h - text from the store or another host made safe for a
 * terminal or a log line: control characters (a line break, an escape
 * sequence) are written as \n, \r, \t or \xNN, so that what is printed
 * cannot move the cursor, recolour the screen or forge another line.
 */
#ifndef PGK_TERMTEXT_H
#define PGK_TERMTEXT_H

#include <stddef.h>

/* Writes text, escaped, into buf (cut to len - 1 bytes); returns buf,
 * never NULL (untouched when len is 0). */
const char *termtext(const char *text, char *buf, size_t len);

#endif
