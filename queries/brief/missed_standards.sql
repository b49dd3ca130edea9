-- The standards a district or manager misses most (SPEC §9 monthly brief): per group of $level (district or
-- manager), the (tier, service) pairs with the most missed obligations of the window as of $as_of (closed
-- periods inside the window: the obligations of `report compliance`), at most three per group, most first.
-- Parameters: $level, $date_from, $date_to, $as_of, $scope_city, $scope_district.
with missed as (
    select
        group_k1($level, city_code, manager_id, tier, service_code) as k1,
        group_k2($level, district_code) as k2,
        tier, service_code,
        sum(obligations - met)::bigint as missed,
        sum(obligations)::bigint as obligations
    from obligation_counts
    where period_start >= $date_from::date and period_end <= $date_to::date and period_end <= $as_of::date
        and ($scope_city is null or city_code = $scope_city)
        and ($scope_district is null or district_code = $scope_district)
    group by all
    having sum(obligations - met) > 0
)

select * from missed
qualify row_number() over (partition by k1, k2 order by missed desc, tier, service_code) <= 3
order by k1, k2, missed desc, tier, service_code
