/*
 * loopback.h - a TCP socket of the unit tests' own on 127.0.0.1, at a
 * port the kernel picks: listening (a server that accepts) or closed
 * again (a port nothing listens on).
 */
#ifndef PGK_TEST_LOOPBACK_H
#define PGK_TEST_LOOPBACK_H

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include "unit.h"

/* Bound to 127.0.0.1; its port in *port. listening: listen() too. */
static inline int loopback_socket(int *port, bool listening)
{
	struct sockaddr_in a = {.sin_family = AF_INET,
				.sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	socklen_t len = sizeof(a);
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	assert_true(fd >= 0);
	assert_int_equal(bind(fd, (struct sockaddr *)&a, sizeof(a)), 0);
	assert_int_equal(getsockname(fd, (struct sockaddr *)&a, &len), 0);
	if (listening)
		assert_int_equal(listen(fd, 4), 0);
	*port = ntohs(a.sin_port);
	return fd;
}

#endif
