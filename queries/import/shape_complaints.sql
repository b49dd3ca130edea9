-- Shape complaints rows (SPEC §3, §4): received_at required; the other times optional but, when given, a valid
-- date not before the time it answers (first contact and resolution after receipt, the return visit's date
-- not before the resolution's date), none after the import date (plus a day of clock slack) nor before the
-- earliest year. Satisfaction as code or label, or empty (not yet surveyed). The optional category is free
-- text ('' when the export has no such column); the optional escalated [是否越级] is yes/no or 是/否, empty = no.
-- Reads `stg` (the trimmed lines of a chunk). Parameters: $latest_event (the first moment too late), $earliest_event, $import_day.
with typed as (
    select
        s.*,
        parse_ts(s.received_at) as t_received,
        parse_ts(s.first_contact_at) as t_first,
        parse_ts(s.resolved_at) as t_resolved,
        parse_ts(s.return_visit_at) as t_return,
        sat.code as sat_code,
        yn.code as escalated_code
    from stg as s
    left join vocab as sat on sat.domain = 'satisfaction' and sat.alias = lower(s.satisfaction)
    left join vocab as yn on yn.domain = 'yes_no' and yn.alias = lower(s.escalated)
)
select
    s.line, s.raw, s.nf, s.fp,
    nullif(s.complaint_id, '') as complaint_id,
    nullif(s.customer_id, '') as customer_id,
    nullif(s.manager_id, '') as manager_id,
    s.t_received as received_at,
    s.t_first as first_contact_at,
    s.t_resolved as resolved_at,
    s.t_return as return_visit_at,
    s.sat_code as satisfaction,
    nullif(s.dissatisfied_reason, '') as dissatisfied_reason,
    nullif(s.category, '') as category,
    coalesce(s.escalated_code = 'yes', false) as escalated,
    case
        when s.complaint_id = '' then 'missing complaint_id'
        when s.customer_id = '' then 'missing customer_id'
        when s.received_at = '' then 'missing received_at'
        when s.t_received is null then 'received_at "' || s.received_at || '" is not a valid date'
        when s.first_contact_at <> '' and s.t_first is null
            then 'first_contact_at "' || s.first_contact_at || '" is not a valid date'
        when s.resolved_at <> '' and s.t_resolved is null
            then 'resolved_at "' || s.resolved_at || '" is not a valid date'
        when s.return_visit_at <> '' and s.t_return is null
            then 'return_visit_at "' || s.return_visit_at || '" is not a valid date'
        when s.t_received >= $latest_event::timestamp
            then 'received_at "' || s.received_at || '" is after the import date (' || $import_day || ')'
        when s.t_first >= $latest_event::timestamp
            then 'first_contact_at "' || s.first_contact_at || '" is after the import date (' || $import_day || ')'
        when s.t_resolved >= $latest_event::timestamp
            then 'resolved_at "' || s.resolved_at || '" is after the import date (' || $import_day || ')'
        when s.t_return >= $latest_event::timestamp
            then 'return_visit_at "' || s.return_visit_at || '" is after the import date (' || $import_day || ')'
        when s.t_received < $earliest_event::timestamp
            then 'received_at "' || s.received_at || '" is before ' || year($earliest_event::timestamp)
        when s.t_first < s.t_received then 'first_contact_at is before received_at'
        when s.t_resolved < s.t_received then 'resolved_at is before received_at'
        when s.t_return::date < s.t_resolved::date then 'return_visit_at is dated before resolved_at'
        when s.satisfaction <> '' and s.sat_code is null
            then 'unknown satisfaction "' || s.satisfaction || '"'
        when s.escalated <> '' and s.escalated_code is null
            then 'escalated "' || s.escalated || '" is neither yes/no nor 是/否'
        when c.customer_id is null then 'unknown customer ' || s.customer_id
        when s.manager_id <> '' and m.manager_id is null then 'unknown manager ' || s.manager_id
    end as reason
from typed as s
left join (select distinct customer_id from customers) as c on c.customer_id = s.customer_id
left join (select distinct manager_id from managers) as m on m.manager_id = s.manager_id
