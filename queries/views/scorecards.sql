-- Manager scorecards (SPEC §6): per responsible manager, closed obligations, met, missed, rate, open, and the
-- obligations of the periods running on the as-of date that are still short of their standard (due now).
-- Parameters: $city, $district (null = any), $date_from, $date_to, $as_of, $scope_city, $scope_district.
with items as (
    select *
    from compliance_items($date_from, $date_to, $as_of, $scope_city, $scope_district)
    where ($city is null or city_code = $city)
        and ($district is null or district_code = $district)
),

per_manager as (
    select
        coalesce(manager_id, '') as manager_id,
        count(distinct customer_id) as customers,
        count(*) filter (where status <> 'open') as obligations,
        count(*) filter (where status = 'met') as met,
        count(*) filter (where status = 'missed') as missed,
        count(*) filter (where status = 'open') as open,
        rate(count(*) filter (where status = 'met'), count(*) filter (where status <> 'open')) as rate,
        count(*) filter (
            where status = 'open' and period_start <= $as_of::date and completed < n
        ) as due_now
    from items
    group by all
)

select p.manager_id, m.manager_name, m.role, m.city_code, o.city_name, m.district_code, o.district_name,
       p.customers, p.obligations, p.met, p.missed, p.rate, p.open, p.due_now
from per_manager as p
left join managers as m on m.manager_id = p.manager_id
left join org_units as o on o.district_code = m.district_code
order by p.rate nulls last, p.missed desc, p.manager_id
