/* The same layout as o32: flags, handler, a 128-signal mask. */
#include "../mips/ksigaction.h"
