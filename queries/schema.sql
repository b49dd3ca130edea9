-- Schema of the supervision database (one DuckDB file). Created on first use; every statement is idempotent.
-- Stored tables hold canonical values (codes, typed dates); raw text survives only in `quarantine`.
-- SPEC §3 (standards and configuration), §4 (the export tables), §5 (materialised obligations).

create table if not exists meta (key varchar, value varchar);

-- §4 export tables, keyed as §4 says (keys are enforced by the importer, not by constraints, so that a
-- corrected record can be replaced inside the import's one transaction).
create table if not exists org_units (
    district_code varchar, city_code varchar, city_name varchar, district_name varchar);
create table if not exists managers (
    manager_id varchar, manager_name varchar, role varchar, city_code varchar, district_code varchar);
create table if not exists customers (
    customer_id varchar, customer_name varchar, tier varchar, city_code varchar, district_code varchar,
    manager_id varchar, chief_manager_id varchar, industry varchar, member_count integer, onboard_date date);
-- optional column (SPEC §12 离网日期): the day the customer left, null = still a customer
alter table customers add column if not exists lost_date date;
create table if not exists tier_history (customer_id varchar, tier varchar, effective_from date);
create table if not exists members (
    member_id varchar, customer_id varchar, member_name varchar, member_role varchar, birthday date);
create table if not exists service_logs (
    record_id varchar, customer_id varchar, member_id varchar, manager_id varchar, service_code varchar,
    channel varchar, service_time timestamp, status varchar, note varchar,
    import_id integer, line integer);
create table if not exists complaints (
    complaint_id varchar, customer_id varchar, manager_id varchar, received_at timestamp,
    first_contact_at timestamp, resolved_at timestamp, return_visit_at timestamp, satisfaction varchar,
    dissatisfied_reason varchar, import_id integer, line integer);
-- optional column (SPEC §4 投诉类别): free text, null when the export has none (shown as 未分类)
alter table complaints add column if not exists category varchar;
-- optional column (SPEC §12 是否越级): yes/no, 是/否; empty or absent = no
alter table complaints add column if not exists escalated boolean;

-- SPEC §12, optional files: work orders (装维工单), their return visits (回访记录), inspections (质量检查).
-- Codes as in supervision/defaults/vocab.csv (order_type, visit_method, satisfaction, inspection_level).
create table if not exists work_orders (
    order_id varchar, customer_id varchar, manager_id varchar, order_type varchar, completed_at timestamp,
    import_id integer, line integer);
create table if not exists return_visits (
    visit_id varchar, order_id varchar, return_visit_at timestamp, method varchar, result varchar,
    dissatisfied_reason varchar, import_id integer, line integer);
create table if not exists inspections (
    inspection_id varchar, level varchar, city_code varchar, district_code varchar, inspected_at date,
    import_id integer, line integer);

-- Import accounting (§4: read = accepted + updated + quarantined + duplicates, per import and file).
create table if not exists imports (
    import_id integer, started_at timestamp, finished_at timestamp, source varchar, username varchar);
-- who ran an import on the machine (the CLI's --user is free text; this is the operating-system account)
alter table imports add column if not exists os_user varchar;
create table if not exists import_files (
    import_id integer, file varchar, encoding varchar, "read" integer, accepted integer, updated integer,
    quarantined integer, duplicates integer);
create table if not exists quarantine (
    import_id integer, file varchar, line integer, raw varchar, reason varchar);

-- The audit log's state recorded outside the log (supervision/auditlog.py): at every import and standards load,
-- and on `python -m supervision audit anchor`. A log that no longer matches an anchor was cut or rewritten.
create table if not exists audit_anchors (anchored_at timestamp, "lines" integer, hash varchar);

-- §3 standards: every load is a new version; rows keep their source line for messages and audits.
create table if not exists standards_versions (
    version integer, loaded_at timestamp, source varchar, sha256 varchar, "rows" integer, username varchar);
create table if not exists standards (
    version integer, line integer, tier varchar, service_code varchar,
    requirement varchar,          -- 'count', 'market', 'entitled' or 'not_entitled'
    n integer,                    -- N of "at least N per period" when requirement = 'count'
    period_months integer, responsible_role varchar, city_code varchar,
    effective_from date);         -- null = always

-- Configuration shipped beside the standards (supervision/defaults): no tier name is written in code.
create table if not exists tiers (
    tier varchar, rank integer, complaint_level integer, upgrade_min_members integer,
    upgrade_industries varchar[]);
create table if not exists complaint_levels (
    level integer, first_contact_hours integer, resolve_hours integer, return_visit_days integer);
create table if not exists settings (key varchar, value varchar);
-- a tier's former names (config load: tiers.csv's aliases column): an export's old name is read as the tier
create table if not exists tier_aliases (alias varchar, tier varchar);
-- every configuration in force since the database was created (supervision/config.py): when, from which files,
-- their SHA-256, who; and a snapshot of each part (tiers, complaint_levels, settings, vocab) as CSV text
create table if not exists config_versions (
    version integer, loaded_at timestamp, source varchar, sha256 varchar, username varchar,
    standards_version integer);
create table if not exists config_parts (version integer, part varchar, sha256 varchar, content varchar);
create table if not exists vocab (
    domain varchar, code varchar, label_zh varchar, label_en varchar, alias varchar, attr varchar);

-- Materialised tables (standard_segments, tier_spans, log_days, obligations, obligation_counts,
-- greeting_obligations, complaint_facts, overservice_records) are created by supervision/build.py from
-- queries/build/*.sql at every import and standards load; their columns are what those queries select.
