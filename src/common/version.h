/*
 * version.h - the pgkeel release.
 */
#ifndef PGK_VERSION_H
#define PGK_VERSION_H

#define PGKEEL_VERSION "0.1.0"

#endif
