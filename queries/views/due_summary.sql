-- The due list's counts (SPEC §6, §10), without fetching its rows: per (days_left, tier) the obligations due,
-- how many are at risk (due_items) and the records missing, and one total row (is_total) with the customers
-- concerned. The same selection as views/due.sql. Parameters: $date_from, $date_to, $as_of, $scope_city, $scope_district, $city, $district,
-- $manager (null = any).
select
    days_left, tier,
    grouping(days_left, tier) = 3 as is_total,
    count(*) as obligations,
    count(*) filter (where at_risk) as at_risk,
    sum(missing) as missing,
    count(distinct customer_id) as customers
from due_items($date_from, $date_to, $as_of, $scope_city, $scope_district)
where ($city is null or city_code = $city)
    and ($district is null or district_code = $district)
    and ($manager is null or coalesce(manager_id, '') = $manager)
group by grouping sets ((days_left, tier), ())
order by is_total desc, days_left, tier
