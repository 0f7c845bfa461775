package dev.sandbar.api.exec;

import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Answer of a drain: the session's unacknowledged notices, oldest first, still stored.
 *
 * @param cursor acknowledges these notices when passed to the next drain (or to the ack endpoint);
 *     null when there are none
 */
record NotificationList(
    List<NotificationResponse> items,
    @Schema(
            description =
                "Pass it as `cursor` to the next drain (or to `…/notifications/ack`) to"
                    + " acknowledge these notices; they are deleted only then. Null when"
                    + " `items` is empty.",
            nullable = true)
        @Nullable String cursor) {}
