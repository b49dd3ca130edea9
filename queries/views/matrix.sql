-- Compliance by (row group × service) for heatmaps (SPEC §6): rows are cities, districts, managers or tiers.
-- Parameters: $level (city|district|manager|tier), $city (null = any), $date_from, $date_to, $as_of,
-- $scope_city, $scope_district. Reads window_counts, as `report compliance` does: obligations = closed ones
-- (period_end <= as_of), open = the rest; rate = met / closed obligations (null when none are closed) — the
-- five numbers are period_status_counts (queries/measures/status_counts.sql).
with per_cell as (
    select
        group_k1($level, city_code, manager_id, tier, service_code) as k1,
        group_k2($level, district_code) as k2,
        service_code,
        period_status_counts(obligations, met, period_end, $as_of) as counts
    from window_counts($date_from, $date_to, $scope_city, $scope_district)
    where $city is null or city_code = $city
    group by all
)

select k1, k2, service_code, unnest(counts)
from per_cell
order by k1, k2, service_code
