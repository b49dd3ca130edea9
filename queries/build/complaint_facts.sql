-- Every complaint with what does not depend on the as-of date (SPEC §3 complaint standards, §5): the customer's
-- city and district, the manager (the complaint's own manager_id, else the customer's account manager), the
-- tier in effect on the day received, its complaint level and that level's time limits. complaint_items judges
-- the steps as of a date. No parameters.
select
    k.complaint_id, k.customer_id, c.city_code, c.district_code,
    coalesce(k.manager_id, c.manager_id) as manager_id, ts.tier, l.level,
    l.first_contact_hours, l.resolve_hours, l.return_visit_days,
    k.received_at, k.first_contact_at, k.resolved_at, k.return_visit_at, k.satisfaction, k.dissatisfied_reason
from complaints as k
inner join customers as c on c.customer_id = k.customer_id
inner join tier_spans as ts
    on ts.customer_id = k.customer_id and k.received_at::date >= ts.span_from and k.received_at::date < ts.span_to
left join tiers as t on t.tier = ts.tier
left join complaint_levels as l on l.level = t.complaint_level
