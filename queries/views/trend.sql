-- Monthly trend (SPEC §6): closed obligations grouped by the month their period ends, per group.
-- Parameters: $level (province|city|district|manager|tier|service), $city, $district (null = any),
-- $date_from, $date_to, $as_of, $scope_city, $scope_district.
select
    group_k1($level, city_code, manager_id, tier, service_code) as k1,
    group_k2($level, district_code) as k2,
    date_trunc('month', period_end)::date as month,
    count(*) as obligations,
    count(*) filter (where status = 'met') as met,
    count(*) filter (where status = 'met') / count(*) as rate
from compliance_items($date_from, $date_to, $as_of, $scope_city, $scope_district)
where status <> 'open'
    and ($city is null or city_code = $city)
    and ($district is null or district_code = $district)
group by all
order by k1, k2, month
