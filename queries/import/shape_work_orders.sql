-- Shape work_orders rows (SPEC §12 装维工单): order_type as code or Chinese label (装机 install, 移机 move, 拆机
-- remove, 修障 or 故障处理 repair); completed_at required, a valid date, not after the import date (plus a day of
-- clock slack) nor before the earliest year; the customer accepted in this import or stored; the optional
-- manager_id, when given, a known manager; a stored order's completion not moved after one of its stored return
-- visits (SPEC §12: no visit before its order's completion).
-- Reads `stg` (the trimmed lines of a chunk). Parameters: $latest_event, $earliest_event, $import_day.
with typed as (
    select s.*, parse_ts(s.completed_at) as t_completed, t.code as type_code
    from stg as s
    left join vocab as t on t.domain = 'order_type' and t.alias = lower(s.order_type)
)

select
    s.line, s.raw, s.nf, s.fp,
    nullif(s.order_id, '') as order_id,
    nullif(s.customer_id, '') as customer_id,
    nullif(s.manager_id, '') as manager_id,
    s.type_code as order_type,
    s.t_completed as completed_at,
    case
        when s.order_id = '' then 'missing order_id'
        when s.customer_id = '' then 'missing customer_id'
        when s.order_type = '' then 'missing order_type'
        when s.type_code is null then 'unknown order_type "' || s.order_type || '"'
        when s.completed_at = '' then 'missing completed_at'
        when s.t_completed is null then 'completed_at "' || s.completed_at || '" is not a valid date'
        when s.t_completed >= $latest_event::timestamp
            then 'completed_at "' || s.completed_at || '" is after the import date (' || $import_day || ')'
        when s.t_completed < $earliest_event::timestamp
            then 'completed_at "' || s.completed_at || '" is before ' || year($earliest_event::timestamp)
        when c.customer_id is null then 'unknown customer ' || s.customer_id
        when s.manager_id <> '' and m.manager_id is null then 'unknown manager ' || s.manager_id
        when v.first_visit < s.t_completed
            then 'completed_at "' || s.completed_at || '" is after the order''s stored return visit of '
                || strftime(v.first_visit, '%Y-%m-%d %H:%M')
    end as reason
from typed as s
left join (select distinct customer_id from customers) as c on c.customer_id = s.customer_id
left join (select distinct manager_id from managers) as m on m.manager_id = s.manager_id
left join (select order_id, min(return_visit_at) as first_visit from return_visits group by all) as v
    on v.order_id = s.order_id
