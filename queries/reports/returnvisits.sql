-- Work-order return visits per group (SPEC §12, `report returnvisits`); the service key is the order type.
-- orders = counted orders (install, move, repair completed inside the window, on or before the as-of date), each
-- in exactly one of on_time / missed / open (same_day is part of on_time); followups = the manual follow-ups the
-- counted orders' automatic visits require, done / open (the rest missed); the satisfaction columns count orders
-- by the result of their latest reaching visit; satisfaction_rate = (very_satisfied + satisfied) /
-- (very_satisfied + satisfied + dissatisfied), the rate macro. Reads return_visit_items.
-- Parameters as compliance.sql, and (the 回访 page's; `report` passes none) the filters $city, $district,
-- $manager, $service (null = any).
select
    group_k1($level, city_code, manager_id, tier, service_code) as k1,
    group_k2($level, district_code) as k2,
    count(*) as orders,
    count(*) filter (where status = 'on_time') as on_time,
    count(*) filter (where same_day) as same_day,
    count(*) filter (where status = 'missed') as missed,
    count(*) filter (where status = 'open') as open,
    sum(followups)::bigint as followups,
    sum(followups_done)::bigint as followups_done,
    sum(followups_open)::bigint as followups_open,
    count(*) filter (where satisfaction = 'very_satisfied') as very_satisfied,
    count(*) filter (where satisfaction = 'satisfied') as satisfied,
    count(*) filter (where satisfaction = 'dissatisfied') as dissatisfied,
    rate(
        count(*) filter (where satisfaction in ('very_satisfied', 'satisfied')),
        count(*) filter (where satisfaction in ('very_satisfied', 'satisfied', 'dissatisfied'))
    ) as satisfaction_rate,
    -- not a column of `report`: the pages' on-time rate over the closed orders (on time or missed)
    rate(count(*) filter (where status = 'on_time'), count(*) filter (where status <> 'open')) as on_time_rate
from return_visit_items($date_from, $date_to, $as_of, $scope_city, $scope_district)
where ($city is null or city_code = $city)
    and ($district is null or district_code = $district)
    and ($manager is null or coalesce(manager_id, '') = $manager)
    and ($service is null or service_code = $service)
group by all
order by k1, k2
