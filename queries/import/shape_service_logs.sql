-- Shape service_logs rows (SPEC §4): service and status as code or Chinese label, service_time in any of the
-- four date shapes, not after the import date (plus a day of clock slack) nor before the earliest year; the
-- customer, and the manager when given, must be accepted or stored.
-- Reads `stg` (the trimmed lines of a chunk). Parameters: $latest_event (the first moment too late), $earliest_event, $import_day.
with typed as (
    select s.*, parse_ts(s.service_time) as t_service, sv.code as service, st.code as status_code
    from stg as s
    left join vocab as sv on sv.domain = 'service' and sv.alias = lower(s.service_code)
    left join vocab as st on st.domain = 'status' and st.alias = lower(s.status)
)

select
    s.line, s.raw, s.nf, s.fp,
    nullif(s.record_id, '') as record_id,
    nullif(s.customer_id, '') as customer_id,
    nullif(s.member_id, '') as member_id,
    nullif(s.manager_id, '') as manager_id,
    s.service as service_code,
    nullif(s.channel, '') as channel,
    s.t_service as service_time,
    s.status_code as status,
    nullif(s.note, '') as note,
    case
        when s.record_id = '' then 'missing record_id'
        when s.customer_id = '' then 'missing customer_id'
        when s.service is null then 'unknown service_code "' || s.service_code || '"'
        when s.service_time = '' then 'missing service_time'
        when s.t_service is null then 'service_time "' || s.service_time || '" is not a valid date'
        when s.t_service >= $latest_event::timestamp
            then 'service_time "' || s.service_time || '" is after the import date (' || $import_day || ')'
        when s.t_service < $earliest_event::timestamp
            then 'service_time "' || s.service_time || '" is before ' || year($earliest_event::timestamp)
        when s.status_code is null then 'unknown status "' || s.status || '"'
        when c.customer_id is null then 'unknown customer ' || s.customer_id
        when s.manager_id <> '' and m.manager_id is null then 'unknown manager ' || s.manager_id
    end as reason
from typed as s
left join (select distinct customer_id from customers) as c on c.customer_id = s.customer_id
left join (select distinct manager_id from managers) as m on m.manager_id = s.manager_id
