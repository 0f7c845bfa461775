package dev.sandbar.api.host;

import java.util.List;

record HostEventList(List<HostEventResponse> items) {}
