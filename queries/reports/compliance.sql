-- Frequency compliance per group (SPEC §5, §8 `report compliance`).
-- Parameters: $level (province|city|district|manager|tier|service), $date_from, $date_to, $as_of,
-- $scope_city, $scope_district. k1/k2 are the group's key values ('' where the level has fewer keys).
-- Reads window_counts (obligation_counts, obligations counted per group and period at import, of the periods
-- inside the window, in the scope): a period is closed when it ends on or before the as-of date, and a closed
-- obligation is met when its period's completed records reach n (all of them are <= as_of then).
-- obligations = closed obligations; rate = met / obligations (the rate macro: 4 decimals, half away from zero);
-- the five numbers are period_status_counts (queries/measures/status_counts.sql).
with per_group as (
    select
        group_k1($level, city_code, manager_id, tier, service_code) as k1,
        group_k2($level, district_code) as k2,
        period_status_counts(obligations, met, period_end, $as_of) as counts
    from window_counts($date_from, $date_to, $scope_city, $scope_district)
    group by all
)

select k1, k2, unnest(counts)
from per_group
order by k1, k2
