-- Compliance by (row group × service) for heatmaps (SPEC §6): rows are cities, districts, managers or tiers.
-- Parameters: $level (city|district|manager|tier), $city (null = any), $date_from, $date_to, $as_of,
-- $scope_city, $scope_district. Rate = met / closed obligations (null when none are closed).
select
    group_k1($level, city_code, manager_id, tier, service_code) as k1,
    group_k2($level, district_code) as k2,
    service_code,
    count(*) filter (where status <> 'open') as obligations,
    count(*) filter (where status = 'met') as met,
    count(*) filter (where status = 'missed') as missed,
    count(*) filter (where status = 'open') as open,
    count(*) filter (where status = 'met') / nullif(count(*) filter (where status <> 'open'), 0) as rate
from compliance_items($date_from, $date_to, $as_of, $scope_city, $scope_district)
where $city is null or city_code = $city
group by all
order by k1, k2, service_code
