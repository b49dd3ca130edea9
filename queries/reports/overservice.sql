-- Over-service per group (SPEC §3, §5, §8 `report overservice`): completed records of not_entitled
-- services, by the record's own manager and the tier on the service day. Parameters as compliance.sql.
select
    group_k1($level, city_code, manager_id, tier, service_code) as k1,
    group_k2($level, district_code) as k2,
    count(*) as records
from overservice_items($date_from, $date_to, $as_of, $scope_city, $scope_district)
group by all
order by k1, k2
