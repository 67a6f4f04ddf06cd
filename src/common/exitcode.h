/*
 * exitcode.h - pgkeel's process exit codes (documented in
 * docs/commands.md; scripts rely on them).
 */
#ifndef PGK_EXITCODE_H
#define PGK_EXITCODE_H

enum {
	EXIT_OK = 0,          /* success */
	EXIT_FAILED = 1,      /* the operation failed (the message says why) */
	EXIT_USAGE = 2,       /* bad command line: unknown command or flag,
				 malformed or missing value */
	EXIT_BAD_CONFIG = 3,  /* bad or missing configuration file */
	EXIT_PGSQL = 4,       /* a Postgres server or program failed */
	EXIT_STORE = 5,       /* the monitor / state store cannot be reached */
	EXIT_UNSUPPORTED = 6, /* not implemented in this version */
	EXIT_TIMEOUT = 7,     /* a wait ran past its deadline */
	EXIT_REFUSED = 8      /* refused to avoid losing data or writes */
};

#endif
