-- Every complaint with what does not depend on the as-of date (SPEC §3 complaint standards, §5, §12): the
-- customer's city and district, the manager (the complaint's own manager_id, else the customer's account
-- manager), the tier in effect on the day received, its complaint level and that level's time limits; and for
-- complaint quality (§12, 第六十二条) its category key (trimmed, '' = 未分类), whether it is a repeat (the same
-- customer had a complaint of the same category received 1 to 30 calendar days before it, by date) and when the
-- next complaint of the same customer and category was received (the earliest with a later received_at).
-- complaint_items and complaint_quality_items judge them as of a date. No parameters.
with keyed as (
    select k.*, coalesce(k.category, '') as category_key from complaints as k
),

related as (
    select
        k.complaint_id,
        count(o.complaint_id) filter (
            where o.received_at::date between k.received_at::date - 30 and k.received_at::date - 1
        ) > 0 as is_repeat,
        min(o.received_at) filter (where o.received_at > k.received_at) as next_received_at
    from keyed as k
    left join keyed as o
        on o.customer_id = k.customer_id and o.category_key = k.category_key and o.complaint_id <> k.complaint_id
    group by k.complaint_id
)

select
    k.complaint_id, k.customer_id, c.city_code, c.district_code,
    coalesce(k.manager_id, c.manager_id) as manager_id, ts.tier, l.level,
    l.first_contact_hours, l.resolve_hours, l.return_visit_days,
    k.received_at, k.first_contact_at, k.resolved_at, k.return_visit_at, k.satisfaction, k.dissatisfied_reason,
    k.category_key, coalesce(k.escalated, false) as escalated, r.is_repeat, r.next_received_at
from keyed as k
inner join customers as c on c.customer_id = k.customer_id
inner join tier_spans as ts
    on ts.customer_id = k.customer_id and k.received_at::date >= ts.span_from and k.received_at::date < ts.span_to
left join tiers as t on t.tier = ts.tier
left join complaint_levels as l on l.level = t.complaint_level
inner join related as r on r.complaint_id = k.complaint_id
