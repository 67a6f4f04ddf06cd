/*
 * svcenv.h - the environment the long-running services (`pgkeel run`,
 * keeper and monitor) start in. GnuTLS, which libpq brings in through
 * its LDAP library, initialises itself in a library constructor before
 * main (its ASN.1 trees on the heap, its tables' pages touched) although
 * pgkeel never calls it: libpq's TLS is OpenSSL's, and the LDAP library
 * initialises GnuTLS itself when it needs it. SVCENV_NAME=1 in the
 * environment at exec turns that off (docs/benchmarks.md); the systemd
 * unit sets it (cli/systemdunit.h), and `pgkeel run` started without it
 * executes itself once again with it (svcenv_reexec).
 */
#ifndef PGK_SVCENV_H
#define PGK_SVCENV_H

#define SVCENV_NAME "GNUTLS_NO_IMPLICIT_INIT"
#define SVCENV_VALUE "1"
/* NAME=VALUE, as a unit file's Environment= or env(1) take it */
#define SVCENV_ASSIGNMENT SVCENV_NAME "=" SVCENV_VALUE

/*
 * When SVCENV_NAME is in the environment (whatever its value: one set by
 * hand is left as it is), returns 0 at once, the process named after
 * argv[0] (its base name, as ps and top show it). Otherwise sets it and
 * executes /proc/self/exe with argv again: the same process (its PID,
 * its open descriptors, the rest of its environment), now started with
 * the variable; call it before opening anything. Returns only when that
 * exec failed: its errno, the variable removed again.
 */
int svcenv_reexec(char *const argv[]);

#endif
