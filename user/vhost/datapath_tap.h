/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The pumps of a queue pair served through a tap port (datapath_tap.c):
 * datapath.c runs them for queue pairs with a tap fd.
 */
#ifndef XBR_VHOST_DATAPATH_TAP_H
#define XBR_VHOST_DATAPATH_TAP_H

#include "datapath.h"

unsigned int tap_tx_pump(struct vhost_dev *d, struct vhost_qp *qp);
unsigned int tap_rx_pump(struct vhost_dev *d, struct vhost_qp *qp);
/* Write a RARP for @mac into the tap; false if it cannot take it now. */
bool tap_announce(struct vhost_qp *qp, const uint8_t mac[6]);

#endif
