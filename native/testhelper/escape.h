#ifndef ATTN_TESTHELPER_ESCAPE_H
#define ATTN_TESTHELPER_ESCAPE_H
/* --escape DIR [PID...]: see escape.c. */
int escape(const char *dir, char **pids, int npids);
#endif
