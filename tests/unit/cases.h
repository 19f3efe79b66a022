/* SPDX-License-Identifier: GPL-2.0 */
/* Groups of cases kept in files of their own, run by xbr-unit.c's main. */
#ifndef XBR_UNIT_CASES_H
#define XBR_UNIT_CASES_H

/* trust.c */
void t_port_kinds(void);
void t_fdb_integrity(void);
void t_lock_ownership(void);
void t_guards(void);
void t_s_tag(void);		/* with t_vlan's VLANs in place */

/* trace.c: a port down; then: the suite's traces covered every verdict,
 * drop reason, path and VLAN push and pop. */
void t_trace_link_down(void);
void t_trace_cover(void);

#endif
