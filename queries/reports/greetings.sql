-- Birthday greeting compliance per group (SPEC §3, §5, §8 `report greetings`); service key is 'greeting'.
-- Parameters as compliance.sql. The counts and the rate of each group are status_counts
-- (queries/measures/status_counts.sql) over the greeting obligations' status.
with per_group as (
    select
        group_k1($level, city_code, manager_id, tier, service_code) as k1,
        group_k2($level, district_code) as k2,
        status_counts(status) as counts
    from greeting_items($date_from, $date_to, $as_of, $scope_city, $scope_district)
    group by all
)

select k1, k2, unnest(counts)
from per_group
order by k1, k2
