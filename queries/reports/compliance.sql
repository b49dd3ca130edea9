-- Frequency compliance per group (SPEC §5, §8 `report compliance`).
-- Parameters: $level (province|city|district|manager|tier|service), $date_from, $date_to, $as_of,
-- $scope_city, $scope_district. k1/k2 are the group's key values ('' where the level has fewer keys).
-- obligations = closed obligations; rate = met / obligations (computed by the caller, half away from zero).
select
    group_k1($level, city_code, manager_id, tier, service_code) as k1,
    group_k2($level, district_code) as k2,
    count(*) filter (where status <> 'open') as obligations,
    count(*) filter (where status = 'met') as met,
    count(*) filter (where status = 'missed') as missed,
    count(*) filter (where status = 'open') as open
from compliance_items($date_from, $date_to, $as_of, $scope_city, $scope_district)
group by all
order by k1, k2
