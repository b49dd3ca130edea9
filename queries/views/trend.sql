-- Monthly trend (SPEC §6): closed obligations grouped by the month their period ends, per group.
-- Parameters: $level (province|city|district|manager|tier|service), $city, $district, $manager (null = any),
-- $date_from, $date_to, $as_of, $scope_city, $scope_district. Reads window_counts (as the reports do);
-- `province` gives one line for the whole of what the reader may see.
select
    group_k1($level, city_code, manager_id, tier, service_code) as k1,
    group_k2($level, district_code) as k2,
    date_trunc('month', period_end)::date as month,
    sum(obligations)::bigint as obligations,
    sum(met)::bigint as met,
    rate(sum(met), sum(obligations)) as rate
from window_counts($date_from, $date_to, $scope_city, $scope_district)
where period_end <= $as_of::date
    and ($city is null or city_code = $city)
    and ($district is null or district_code = $district)
    and ($manager is null or coalesce(manager_id, '') = $manager)
group by all
order by k1, k2, month
