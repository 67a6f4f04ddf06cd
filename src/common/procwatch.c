/*
 * procwatch.c - pidfds in an epoll set (procwatch.h).
 */
#define _GNU_SOURCE
#include "common/procwatch.h"

#include <errno.h>
#include <poll.h>
#include <sys/epoll.h>
#include <sys/syscall.h>
#include <unistd.h>

#ifndef SYS_pidfd_open
#define SYS_pidfd_open 434
#endif

bool procwatch_open(ProcWatch *w)
{
	for (int i = 0; i < PROCWATCH_SLOTS; i++) {
		w->fd[i] = -1;
		w->pid[i] = 0;
		w->ended[i] = false;
	}
	w->epfd = epoll_create1(EPOLL_CLOEXEC);
	return w->epfd >= 0;
}

static void unwatch(ProcWatch *w, int slot)
{
	if (w->fd[slot] < 0)
		return;
	epoll_ctl(w->epfd, EPOLL_CTL_DEL, w->fd[slot], NULL);
	close(w->fd[slot]);
	w->fd[slot] = -1;
}

void procwatch_close(ProcWatch *w)
{
	if (w->epfd < 0)
		return;
	for (int i = 0; i < PROCWATCH_SLOTS; i++)
		unwatch(w, i);
	close(w->epfd);
	w->epfd = -1;
}

void procwatch_set(ProcWatch *w, int slot, pid_t pid)
{
	if (w->epfd < 0 || slot < 0 || slot >= PROCWATCH_SLOTS ||
	    pid == w->pid[slot])
		return;
	unwatch(w, slot);
	w->pid[slot] = pid;
	w->ended[slot] = false;
	if (pid <= 0)
		return;
	int fd = (int)syscall(SYS_pidfd_open, pid, 0);
	if (fd < 0) {
		w->ended[slot] = errno == ESRCH;
		return;
	}
	struct epoll_event ev = {.events = EPOLLIN, .data.u32 = (unsigned)slot};
	if (epoll_ctl(w->epfd, EPOLL_CTL_ADD, fd, &ev) != 0) {
		close(fd);
		return;
	}
	w->fd[slot] = fd;
}

bool procwatch_take(ProcWatch *w)
{
	bool any = false;

	for (int i = 0; w->epfd >= 0 && i < PROCWATCH_SLOTS; i++) {
		struct pollfd p = {.fd = w->fd[i], .events = POLLIN};
		if (w->fd[i] < 0 || poll(&p, 1, 0) <= 0)
			continue;
		unwatch(w, i);
		w->ended[i] = true;
		any = true;
	}
	return any;
}

bool procwatch_live(const ProcWatch *w, int slot)
{
	return w->epfd >= 0 && slot >= 0 && slot < PROCWATCH_SLOTS &&
	       w->fd[slot] >= 0 && !w->ended[slot];
}

int procwatch_fd(const ProcWatch *w)
{
	return w->epfd;
}
