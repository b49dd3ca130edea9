-- Two districts of a city compared service by service (SPEC §6, the city page): one row per service either
-- district has an obligation of in the window, with each district's closed obligations, met, missed, open and
-- rate — the numbers views/matrix.sql gives at the district level (period_status_counts over
-- window_counts). Columns a_* are $a_district's, b_* $b_district's, all null where that district has no
-- obligation of the service; the same district twice fills both sides alike. Rows in service_code order.
-- Parameters: $city (null = any), $a_district, $b_district, $date_from, $date_to, $as_of, $scope_city,
-- $scope_district.
with counted as (
    select
        district_code,
        service_code,
        period_status_counts(obligations, met, period_end, $as_of) as counts
    from window_counts($date_from, $date_to, $scope_city, $scope_district)
    where ($city is null or city_code = $city)
        and district_code in ($a_district, $b_district)
    group by all
),

per_district as (
    select district_code, service_code, unnest(counts)
    from counted
),

services as (
    select distinct service_code
    from per_district
)

select
    s.service_code,
    a.obligations as a_obligations, a.met as a_met, a.missed as a_missed, a.open as a_open, a.rate as a_rate,
    b.obligations as b_obligations, b.met as b_met, b.missed as b_missed, b.open as b_open, b.rate as b_rate
from services as s
left join per_district as a on a.service_code = s.service_code and a.district_code = $a_district
left join per_district as b on b.service_code = s.service_code and b.district_code = $b_district
order by s.service_code
