#include <stdlib.h>
#include <string.h>
#include "fdop.h"

struct fdop *__spawnfd_fdop_add(posix_spawn_file_actions_t *fa, int cmd, int fd, int srcfd,
	const char *path)
{
	size_t len = path ? strlen(path) + 1 : 0;
	struct fdop *last = (struct fdop *)fa->__actions, *op = malloc(sizeof *op + len);
	if (!op) return 0;
	*op = (struct fdop){ .cmd = cmd, .fd = fd, .srcfd = srcfd };
	if (path) memcpy(op->path, path, len);
	if (last) {
		op->next = last->next;
		last->next = op;
	} else {
		op->next = op;
	}
	fa->__actions = (void *)op;
	return op;
}
