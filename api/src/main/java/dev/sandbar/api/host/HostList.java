package dev.sandbar.api.host;

import java.util.List;

record HostList(List<HostResponse> items) {}
