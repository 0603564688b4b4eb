#include <stdlib.h>
#include "fdop.h"

int posix_spawn_file_actions_destroy(posix_spawn_file_actions_t *fa)
{
	struct fdop *last = (struct fdop *)fa->__actions, *op, *next;
	if (!last) return 0;
	for (op = last->next; op != last; op = next) {
		next = op->next;
		free(op);
	}
	free(last);
	fa->__actions = 0;
	return 0;
}
