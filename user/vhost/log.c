// SPDX-License-Identifier: GPL-2.0
#include "log.h"

int vhost_log_level = 2;
