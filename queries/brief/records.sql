-- The weekly brief's service records (SPEC §9): per group of $level (city or district) and service, the
-- completed records of the window (log_days: cancelled records never count; a record belongs to its customer's
-- city and district) and what the periods running on the as-of date still need (due_items: the obligations due
-- now and the records they miss, as `python -m supervision due` lists them).
-- Parameters: $level, $date_from, $date_to, $as_of, $year_from, $year_to (the as-of date's year),
-- $scope_city, $scope_district.
with done as (
    select c.city_code, c.district_code, l.service_code, sum(l.records)::bigint as records
    from log_days as l
    inner join customers as c on c.customer_id = l.customer_id
    where l.day between $date_from::date and $date_to::date
        and ($scope_city is null or c.city_code = $scope_city)
        and ($scope_district is null or c.district_code = $scope_district)
    group by all
),

needed as (
    select city_code, district_code, service_code, count(*)::bigint as due, sum(missing)::bigint as missing
    from due_items($year_from, $year_to, $as_of, $scope_city, $scope_district)
    group by all
)

select
    group_k1($level, coalesce(d.city_code, n.city_code), null, null, null) as k1,
    group_k2($level, coalesce(d.district_code, n.district_code)) as k2,
    coalesce(d.service_code, n.service_code) as service_code,
    coalesce(sum(d.records), 0)::bigint as records,
    coalesce(sum(n.due), 0)::bigint as due,
    coalesce(sum(n.missing), 0)::bigint as missing
from done as d
full join needed as n
    on n.city_code = d.city_code and n.district_code = d.district_code and n.service_code = d.service_code
group by all
order by k1, k2, service_code
