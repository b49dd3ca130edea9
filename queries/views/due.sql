-- The due list (SPEC §5 open obligations, §6, §10 进度预警): obligations of the periods running on the as-of
-- date that are still short of their standard, with their pace (due_items): who must do what for which
-- customer, how many days remain, whether it is at risk and by how much. At-risk first, then by days left
-- (then the place, the customer, the service and the period: the same order on every run).
-- Parameters: $date_from, $date_to (the as-of date's calendar year), $as_of, $scope_city, $scope_district,
-- $city, $district, $manager (null = any), $within (at most this many days left; null = any), $limit (the page
-- shows the first rows; an export takes them all), $counts (true: the list's counts come after its rows).
-- Rows: kind 'row'. With $counts, per (days_left, tier) kind 'count' and in all kind 'total': the obligations
-- due, how many are at risk (at_risk_obligations), the records they miss (missing_records) and, in the total,
-- the customers concerned. One query for both, so that the page computes due_items once (twice took 1 s more
-- at 800,000 customers).
with due as materialized (
    select *
    from due_items($date_from, $date_to, $as_of, $scope_city, $scope_district)
    where ($city is null or city_code = $city)
        and ($district is null or district_code = $district)
        and ($manager is null or coalesce(manager_id, '') = $manager)
        and ($within is null or days_left <= $within)
),

first_rows as (
    select *
    from due
    order by at_risk desc, days_left, city_code, district_code, coalesce(manager_id, ''), customer_id,
        service_code, period_start
    limit $limit
),

listed as (
    select
        'row' as kind,
        i.at_risk, i.shortfall, i.city_code, o.city_name, i.district_code, o.district_name,
        coalesce(i.manager_id, '') as manager_id, m.manager_name, i.save_order, i.customer_id, c.customer_name,
        i.tier, i.service_code, i.n, i.completed, i.missing, i.pace, i.need_by_end, i.period_start, i.period_end,
        i.days_elapsed, i.days_left
    from first_rows as i
    left join customers as c on c.customer_id = i.customer_id
    left join org_units as o on o.district_code = i.district_code
    left join managers as m on m.manager_id = i.manager_id
),

counted as (
    select
        case when grouping(days_left, tier) = 3 then 'total' else 'count' end as kind,
        days_left, tier,
        count(*) as obligations,
        count(*) filter (where at_risk) as at_risk_obligations,
        sum(missing) as missing_records,
        case when grouping(days_left, tier) = 3 then count(distinct customer_id) end as customers
    from due
    where $counts  -- without it, not counted at all (the CLI, the export, the manager page)
    group by grouping sets ((days_left, tier), ())
)

select * from listed
union all by name
select * from counted where $counts  -- the total of no rows: not a row when the counts were not asked for
-- the rows first, in a total order (an obligation is one customer, service and period), then the counts
order by kind = 'row' desc, kind = 'count' desc, at_risk desc, days_left, city_code, district_code, manager_id,
    customer_id, service_code, period_start, tier
