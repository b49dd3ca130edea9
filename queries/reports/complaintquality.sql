-- Complaint quality per group (SPEC §12, `report complaintquality`); levels and keys as complaints (service key
-- 'complaint'). first_time_rate = first_time / (resolved - first_time_open), the rate macro.
-- Parameters as compliance.sql. Reads complaint_quality_items.
select
    group_k1($level, city_code, manager_id, tier, service_code) as k1,
    group_k2($level, district_code) as k2,
    count(*) as complaints,
    count(*) filter (where is_repeat) as repeat,
    count(*) filter (where escalated) as escalated,
    count(*) filter (where resolved) as resolved,
    count(*) filter (where first_time) as first_time,
    count(*) filter (where first_time_open) as first_time_open,
    rate(count(*) filter (where first_time), count(*) filter (where resolved and not first_time_open))
        as first_time_rate
from complaint_quality_items($date_from, $date_to, $as_of, $scope_city, $scope_district)
group by all
order by k1, k2
