package dev.sandbar.api.operation;

import java.util.List;

record StuckOperations(List<StuckOperation> items) {}
