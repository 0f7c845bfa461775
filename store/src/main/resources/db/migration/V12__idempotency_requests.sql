-- An Idempotency-Key is bound to the request it first came with (SHA-256 of the request) and to
-- the answer that request got, as the IETF draft and Stripe do: a replay with the same request
-- gets the stored answer, one with another request is refused. Keys older than 24 h are released
-- (set to null on their sandbox) when the tenant uses them again.
alter table sandboxes add column idempotency_hash text;
alter table sandboxes add column idempotency_response text;
