/**
 * The crew's PostgreSQL schema, one step per version, applied in order on start. Never edit a
 * step that has shipped: add the next one.
 */
export const MIGRATIONS: readonly string[] = [
  // 1: artifacts by sha256, and the insert-only audit trail.
  `create table crew_artifacts (
     sha256 text primary key check (sha256 ~ '^[0-9a-f]{64}$'),
     kind text not null,
     plan_id text not null,
     size integer not null,
     bytes bytea not null,
     created_at timestamptz not null default now()
   );
   create index crew_artifacts_plan on crew_artifacts (plan_id);
   create table crew_audit (
     id bigserial primary key,
     plan_id text not null,
     entry_key text not null,
     kind text not null check (kind in ('transition', 'refusal', 'decision')),
     seq integer,
     from_state text,
     to_state text,
     event text,
     actor text not null,
     surface text,
     reason text not null default '',
     plan_sha256 text,
     stack text,
     at timestamptz not null,
     recorded_at timestamptz not null default now(),
     unique (plan_id, entry_key)
   );
   create index crew_audit_at on crew_audit (at);
   create function crew_audit_insert_only() returns trigger language plpgsql as $$
     begin raise exception 'crew_audit is insert-only'; end $$;
   create trigger crew_audit_insert_only before update or delete on crew_audit
     for each statement execute function crew_audit_insert_only();`,
];
