-- Shape return_visits rows (SPEC §12 回访记录): method as code or label (自动语音 auto_voice, 短信 sms, 人工
-- manual); result as code or label (非常满意, 满意, 不满意, 未接通); return_visit_at required, a valid date, not
-- after the import date (plus a day of clock slack); the order accepted in this import or stored, and the visit
-- not before that order's completion (by time: a visit at 09:00 of an order completed at 10:00 is refused).
-- Reads `stg` (the trimmed lines of a chunk). Parameters: $latest_event, $earliest_event, $import_day.
with typed as (
    select s.*, parse_ts(s.return_visit_at) as t_visit, m.code as method_code, r.code as result_code
    from stg as s
    left join vocab as m on m.domain = 'visit_method' and m.alias = lower(s.method)
    left join vocab as r on r.domain = 'satisfaction' and r.alias = lower(s.result)
)

select
    s.line, s.raw, s.nf, s.fp,
    nullif(s.visit_id, '') as visit_id,
    nullif(s.order_id, '') as order_id,
    s.t_visit as return_visit_at,
    s.method_code as method,
    s.result_code as result,
    nullif(s.dissatisfied_reason, '') as dissatisfied_reason,
    case
        when s.visit_id = '' then 'missing visit_id'
        when s.order_id = '' then 'missing order_id'
        when s.return_visit_at = '' then 'missing return_visit_at'
        when s.t_visit is null then 'return_visit_at "' || s.return_visit_at || '" is not a valid date'
        when s.method = '' then 'missing method'
        when s.method_code is null then 'unknown method "' || s.method || '"'
        when s.result = '' then 'missing result'
        when s.result_code is null then 'unknown result "' || s.result || '"'
        when s.t_visit >= $latest_event::timestamp
            then 'return_visit_at "' || s.return_visit_at || '" is after the import date (' || $import_day || ')'
        when s.t_visit < $earliest_event::timestamp
            then 'return_visit_at "' || s.return_visit_at || '" is before ' || year($earliest_event::timestamp)
        when o.order_id is null then 'unknown order ' || s.order_id
        when s.t_visit < o.completed_at
            then 'return_visit_at is before the order''s completion (' || strftime(o.completed_at, '%Y-%m-%d %H:%M')
                || ')'
    end as reason
from typed as s
left join (select order_id, min(completed_at) as completed_at from work_orders group by order_id) as o
    on o.order_id = s.order_id
