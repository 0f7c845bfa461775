package dev.sandbar.api.exec;

import java.util.List;

/** Answer of a drain: the session's notices, oldest first, now removed. */
record NotificationList(List<NotificationResponse> items) {}
