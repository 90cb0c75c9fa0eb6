// Lists every option of every command from the option tables, one a line:
// COMMAND <tab> SHORT (or -) <tab> --LONG. For tests/layout/manpage.sh.
#include <stdio.h>

#include "cli/commands.h"

int main(void)
{
	for (size_t i = 0; i < bopt_command_count; i++) {
		const struct command *c = &bopt_commands[i];
		for (const struct opt *const *g = c->help->groups; *g != NULL; g++)
			for (const struct opt *o = *g; o->name != NULL; o++) {
				int s = opt_short(o);
				printf("%s\t%c%c\t--%s\n", c->name, s ? '-' : '-', s ? s : '-',
					o->name);
			}
	}
	return 0;
}
