-- Every work order (SPEC §12 装维工单) with what does not depend on the as-of date: the customer's city and
-- district, the manager (the order's own manager_id, else the customer's account manager), the tier in effect on
-- the completion date, and the time of its first reaching visit (result not `unreachable`). No parameters.
-- As of a date a, the order is reached when first_reach_at's date is on or before a: the first reaching visit
-- is the earliest, so no reaching visit is dated on or before a otherwise (return_visit_items judges it).
with reach as (
    select order_id, min(return_visit_at) as first_reach_at
    from return_visits
    where result <> 'unreachable'
    group by order_id
)

select
    o.order_id, o.customer_id, c.city_code, c.district_code,
    coalesce(o.manager_id, c.manager_id) as manager_id, ts.tier, o.order_type,
    o.completed_at, o.completed_at::date as completed_date, r.first_reach_at
from work_orders as o
inner join customers as c on c.customer_id = o.customer_id
inner join tier_spans as ts
    on ts.customer_id = o.customer_id and o.completed_at::date >= ts.span_from and o.completed_at::date < ts.span_to
left join reach as r on r.order_id = o.order_id
