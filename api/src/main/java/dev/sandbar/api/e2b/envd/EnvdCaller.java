package dev.sandbar.api.e2b.envd;

/** The sandbox an in-sandbox call is for, and the tenant that owns it, as its token proved. */
record EnvdCaller(String tenantId, String sandboxId) {}
