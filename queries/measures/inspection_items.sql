-- inspection_items(date_from, date_to, as_of, scope_city, scope_district): every inspection obligation of the
-- window (SPEC §12 检查制度), calendar-aligned and judged like §5's: each city, each calendar year, at least one
-- `province` inspection naming that city; each city, each calendar quarter, at least one `city` inspection; each
-- district, each calendar month, at least one `centre` inspection naming that district. Only periods lying inside
-- the window have obligations; a period is closed when it ends on or before as_of, and a closed obligation is
-- met when an inspection of its level and place is dated inside the period (all such are on or before as_of
-- then), else missed; an open period's obligation is 'open', met or not yet. Province and city obligations
-- carry a null district_code. service_code is the inspection level. A table macro stored in the database;
-- reads org_units and inspections. The places are the org units' (a city or district unknown to org_units has
-- no obligation; the importer refuses its inspections anyway).
create or replace macro inspection_items(date_from, date_to, as_of, scope_city, scope_district) as table
with months as (
    select make_date(y.y::int, m.m::int, 1) as month_start
    from (select unnest(range(year(date_from::date), year(date_to::date) + 1)) as y) as y
    cross join (select unnest(range(1, 13)) as m) as m
),

periods as (
    select
        l.level, l.months, p.month_start as period_start,
        (p.month_start + to_months(l.months) - interval 1 day)::date as period_end
    from months as p
    cross join (select 'province' as level, 12 as months union all select 'city', 3 union all select 'centre', 1) as l
    where (month(p.month_start) - 1) % l.months = 0
),

places as (
    select distinct city_code, null::varchar as district_code, false as is_district from org_units
    union all
    select distinct city_code, district_code, true from org_units
),

obligations as (
    select pl.city_code, pl.district_code, p.level, p.period_start, p.period_end
    from periods as p
    inner join places as pl on pl.is_district = (p.level = 'centre')
    where p.period_start >= date_from::date and p.period_end <= date_to::date
        and (scope_city is null or pl.city_code = scope_city)
        and (scope_district is null or pl.district_code = scope_district)
),

found as (
    select o.city_code, o.district_code, o.level, o.period_start, count(i.inspection_id) as inspections,
        min(i.inspected_at) as first_inspected_at
    from obligations as o
    left join inspections as i
        on i.level = o.level and i.city_code = o.city_code
        and (o.level <> 'centre' or i.district_code = o.district_code)
        and i.inspected_at between o.period_start and o.period_end
        and i.inspected_at <= as_of::date
    group by all
)

select
    o.city_code, o.district_code, o.level as service_code, o.period_start, o.period_end,
    coalesce(f.inspections, 0) as inspections, f.first_inspected_at,
    case when o.period_end > as_of::date then 'open' when f.inspections > 0 then 'met' else 'missed' end as status
from obligations as o
left join found as f
    on f.city_code = o.city_code and f.level = o.level and f.period_start = o.period_start
    and f.district_code is not distinct from o.district_code
