-- Frequency compliance per group (SPEC §5, §8 `report compliance`).
-- Parameters: $level (province|city|district|manager|tier|service), $date_from, $date_to, $as_of,
-- $scope_city, $scope_district. k1/k2 are the group's key values ('' where the level has fewer keys).
-- Reads obligation_counts (obligations counted per group and period, materialised at import): a period
-- belongs to the window when it lies inside it; it is closed when it ends on or before the as-of date, and
-- a closed obligation is met when its period's completed records reach n (all of them are <= as_of then).
-- obligations = closed obligations; rate = met / obligations (the rate macro: 4 decimals, half away from zero);
-- the five numbers are period_status_counts (queries/measures/status_counts.sql).
with per_group as (
    select
        group_k1($level, city_code, manager_id, tier, service_code) as k1,
        group_k2($level, district_code) as k2,
        period_status_counts(obligations, met, period_end, $as_of) as counts
    from obligation_counts
    where period_start >= $date_from::date
        and period_end <= $date_to::date
        and ($scope_city is null or city_code = $scope_city)
        and ($scope_district is null or district_code = $scope_district)
    group by all
)

select k1, k2, unnest(counts)
from per_group
order by k1, k2
