-- Every frequency obligation (SPEC §5) of the calendar years $year_from..$year_to, with the completed
-- records of its whole period. Status is not stored: with the as-of date a, a period is closed when
-- period_end <= a, and a closed obligation is met when completed >= n (all its records are <= a then).
-- Parameters: $year_from, $year_to. Reads standard_segments (built for the current standards version) and
-- log_days (completed records per customer, service and day).
--
-- One obligation = (customer, standard, period). It exists when:
--   the period is a calendar-aligned period of P months (P from the standard: Jan 1 starts every year),
--   the customer was onboarded on or before the period's first day,
--   the tier in effect on the first day (latest tier_history row on or before it, else customers.tier)
--     is the standard's tier, and
--   the standard applying on the first day (standard_segments) is a measurable count with this P.
-- The responsible manager is the customer's account manager, or its chief for a chief_account_manager
-- standard; null when the customer has none.
with lengths as (
    select distinct period_months as months from standard_segments where requirement = 'count'
),

periods as (
    select
        l.months,
        make_date(y.y::int, m.m::int, 1) as period_start,
        (make_date(y.y::int, m.m::int, 1) + to_months(l.months) - interval 1 day)::date as period_end
    from lengths as l
    cross join range($year_from, $year_to + 1) as y(y)
    cross join (select unnest(range(1, 13)) as m) as m
    where (m.m - 1) % l.months = 0
),

customer_periods as (
    select c.customer_id, c.tier as current_tier, coalesce(c.city_code, '') as city_key, c.city_code,
           c.district_code, c.manager_id, c.chief_manager_id, p.months, p.period_start, p.period_end
    from customers as c
    inner join periods as p on c.onboard_date <= p.period_start
),

tiered as (
    select cp.*, coalesce(th.tier, cp.current_tier) as tier
    from customer_periods as cp
    asof left join tier_history as th
        on th.customer_id = cp.customer_id and cp.period_start >= th.effective_from
),

obligation as (
    select
        t.customer_id, t.city_code, t.district_code,
        case when s.responsible_role = 'chief_account_manager' then t.chief_manager_id else t.manager_id end
            as manager_id,
        t.tier, s.service_code, s.n, s.period_months, t.period_start, t.period_end
    from tiered as t
    inner join standard_segments as s
        on s.city_code = t.city_key and s.tier = t.tier and s.period_months = t.months
        and s.requirement = 'count'
        and t.period_start >= s.seg_from and t.period_start < s.seg_to
)

select
    o.*,
    coalesce(sum(d.records), 0)::integer as completed
from obligation as o
left join log_days as d
    on d.customer_id = o.customer_id and d.service_code = o.service_code
    and d.day between o.period_start and o.period_end
group by all
