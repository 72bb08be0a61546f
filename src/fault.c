/* fault.c: the system calls that change a registry, in one place, so a
 * test build (make faults) can fail any one of them or cut the power. */
#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

#include "util.h"

ssize_t
fs_write(int fd, const void *p, size_t n)
{
	return write(fd, p, n);
}

int
fs_fsync(int fd)
{
	return fsync(fd);
}

int
fs_ftruncate(int fd, off_t length)
{
	return ftruncate(fd, length);
}

int
fs_rename(const char *from, const char *to)
{
	return rename(from, to);
}

int
fs_unlink(const char *path)
{
	return unlink(path);
}

int
fs_open(const char *path, int flags, mode_t mode)
{
	return open(path, flags, mode);
}
