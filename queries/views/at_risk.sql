-- At-risk obligations per group (SPEC §10 进度预警): for the overview's ranking, how many of each group's
-- obligations due now are at risk (due_items), as of the as-of date. k1/k2 as in the reports.
-- Parameters: $level (city|district|manager), $date_from, $date_to (the as-of date's calendar year), $as_of,
-- $scope_city, $scope_district.
select
    group_k1($level, city_code, manager_id, tier, service_code) as k1,
    group_k2($level, district_code) as k2,
    count(*) filter (where at_risk) as at_risk,
    count(*) as due_now
from due_items($date_from, $date_to, $as_of, $scope_city, $scope_district)
group by all
order by k1, k2
