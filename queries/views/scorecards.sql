-- Manager scorecards (SPEC §6, §10): per responsible manager, closed obligations, met, missed, rate, open, and
-- now (due_items, the as-of date's calendar year): the obligations due, how many are at risk, and the shortfall
-- — per service the largest number of records beyond the manager's pace that one deadline needs, summed.
-- The counts and the rate are status_counts (queries/measures/status_counts.sql).
-- Parameters: $city, $district (null = any), $date_from, $date_to, $as_of, $scope_city, $scope_district.
with items as (
    select *
    from compliance_items($date_from, $date_to, $as_of, $scope_city, $scope_district)
    where ($city is null or city_code = $city)
        and ($district is null or district_code = $district)
),

per_manager_counts as (
    select
        coalesce(manager_id, '') as manager_id,
        count(distinct customer_id) as customers,
        status_counts(status) as counts
    from items
    group by all
),

per_manager as (
    select manager_id, customers, unnest(counts)
    from per_manager_counts
),

due as (
    select coalesce(manager_id, '') as manager_id, service_code, count(*) as due_now,
        count(*) filter (where at_risk) as at_risk, max(shortfall) as shortfall
    from due_items(
        make_date(year($as_of::date), 1, 1), make_date(year($as_of::date), 12, 31), $as_of, $scope_city,
        $scope_district
    )
    where ($city is null or city_code = $city)
        and ($district is null or district_code = $district)
    group by all
),

due_per_manager as (
    select manager_id, sum(due_now) as due_now, sum(at_risk) as at_risk, sum(shortfall) as shortfall
    from due
    group by all
)

select p.manager_id, m.manager_name, m.role, m.city_code, o.city_name, m.district_code, o.district_name,
       p.customers, p.obligations, p.met, p.missed, p.rate, p.open,
       coalesce(d.due_now, 0)::bigint as due_now, coalesce(d.at_risk, 0)::bigint as at_risk,
       coalesce(d.shortfall, 0)::bigint as shortfall
from per_manager as p
left join due_per_manager as d on d.manager_id = p.manager_id
left join managers as m on m.manager_id = p.manager_id
left join org_units as o on o.district_code = m.district_code
order by p.rate nulls last, p.missed desc, p.manager_id
