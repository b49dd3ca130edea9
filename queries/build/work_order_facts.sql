-- Every work order (SPEC §12 装维工单) with what does not depend on the as-of date: the customer's city and
-- district, the manager (the order's own manager_id, else the customer's account manager), the tier in effect on
-- the completion date, and, from its visits, what any as-of date after them reads the same way. No parameters.
--   * first_reach_at: its first reaching visit (result not `unreachable`). As of a date a the order is reached
--     when that visit is dated on or before a: the first is the earliest, so no reaching visit is dated on or
--     before a otherwise.
--   * last_reach_at, last_result, last_reason: its latest reaching visit (ties by visit_id), the satisfaction as
--     of any date on or after last_reach_at's date (return_visit_items looks earlier dates up in the visits).
--   * followups, followups_done_in_time, followups_settled: how many automatic visits need a person
--     (followup_facts), how many got one within 3 days, and the date from which every one of them is judged
--     (the latest such visit's date + 3): as of that date or later, done = followups_done_in_time and none open.
with reach as (
    select
        order_id,
        min(return_visit_at) as first_reach_at,
        max(return_visit_at) as last_reach_at,
        arg_max(result, (return_visit_at, visit_id)) as last_result,
        arg_max(dissatisfied_reason, (return_visit_at, visit_id)) as last_reason
    from return_visits
    where result <> 'unreachable'
    group by order_id
),

follow as (
    select
        order_id,
        count(*) as followups,
        count(*) filter (where manual_at::date <= return_visit_at::date + 3) as followups_done_in_time,
        max(return_visit_at)::date + 3 as followups_settled
    from followup_facts
    group by order_id
)

select
    o.order_id, o.customer_id, c.city_code, c.district_code,
    coalesce(o.manager_id, c.manager_id) as manager_id, ts.tier, o.order_type,
    o.completed_at, o.completed_at::date as completed_date,
    r.first_reach_at, r.last_reach_at, r.last_result, r.last_reason,
    coalesce(f.followups, 0) as followups, coalesce(f.followups_done_in_time, 0) as followups_done_in_time,
    f.followups_settled
from work_orders as o
inner join customers as c on c.customer_id = o.customer_id
inner join tier_spans as ts
    on ts.customer_id = o.customer_id and o.completed_at::date >= ts.span_from and o.completed_at::date < ts.span_to
left join reach as r on r.order_id = o.order_id
left join follow as f on f.order_id = o.order_id
