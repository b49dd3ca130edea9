-- Inspection cadence per group (SPEC §12, `report inspections`): levels province, city, district and service
-- (the inspection level: province, city, centre); the measure belongs to places, so manager and tier are refused
-- before this runs (supervision/measures.py). At the district level province and city obligations carry an empty
-- district_code. The five numbers of §5: obligations (closed), met, missed, rate, open (status_counts).
-- Parameters as compliance.sql, and (the 检查制度 page's; `report` passes none) the filters $city, $district
-- (null = any; a district picked: its centre's obligations). Reads inspection_items.
with per_group as (
    select
        group_k1($level, city_code, null, null, service_code) as k1,
        group_k2($level, district_code) as k2,
        status_counts(status) as counts
    from inspection_items($date_from, $date_to, $as_of, $scope_city, $scope_district)
    where ($city is null or city_code = $city) and ($district is null or district_code = $district)
    group by all
)

select k1, k2, unnest(counts)
from per_group
order by k1, k2
