package dev.sandbar.workflows.sandbox;

import dev.sandbar.workflows.model.Actor;
import dev.sandbar.workflows.model.TransitionAction;

/** What is being attempted, by whom and why: the audit fields every transition of a step shares. */
record Attempt(TransitionAction action, Actor actor, String reason) {}
