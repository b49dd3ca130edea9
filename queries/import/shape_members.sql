-- Shape members rows (SPEC §2, §4): member_role as code, label or group label; birthday optional, but a
-- non-empty one must be a valid date, not after the import date (plus a day of clock slack).
-- Reads `stg` (the trimmed lines of a chunk). Parameters: $latest_event, $import_day.
select
    s.line, s.raw, s.nf, s.fp,
    nullif(s.member_id, '') as member_id,
    nullif(s.customer_id, '') as customer_id,
    nullif(s.member_name, '') as member_name,
    r.code as member_role,
    parse_ts(s.birthday)::date as birthday,
    case
        when s.member_id = '' then 'missing member_id'
        when s.customer_id = '' then 'missing customer_id'
        when r.code is null then 'unknown member_role "' || s.member_role || '"'
        when s.birthday <> '' and parse_ts(s.birthday) is null
            then 'birthday "' || s.birthday || '" is not a valid date'
        when parse_ts(s.birthday) >= $latest_event::timestamp
            then 'birthday "' || s.birthday || '" is after the import date (' || $import_day || ')'
        when c.customer_id is null then 'unknown customer ' || s.customer_id
    end as reason
from stg as s
left join vocab as r on r.domain = 'member_role' and r.alias = lower(s.member_role)
left join (select distinct customer_id from customers) as c on c.customer_id = s.customer_id
