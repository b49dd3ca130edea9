-- The due list (SPEC §5 open obligations, §6): obligations of the periods running on the as-of date that are
-- still short of their standard: who must do what for which customer, and how many days remain.
-- Parameters: $as_of, $scope_city, $scope_district, $city, $district, $manager (null = any).
-- A period runs on the as-of date when period_start <= as_of < period_end (one ending on as_of is closed).
with running as (
    select o.*
    from obligations as o
    where o.period_start <= $as_of::date and o.period_end > $as_of::date
        and ($scope_city is null or o.city_code = $scope_city)
        and ($scope_district is null or o.district_code = $scope_district)
        and ($city is null or o.city_code = $city)
        and ($district is null or o.district_code = $district)
        and ($manager is null or coalesce(o.manager_id, '') = $manager)
),

counted as (
    select r.customer_id, r.service_code, r.period_start, count(l.record_id) as records
    from running as r
    left join service_logs as l
        on l.customer_id = r.customer_id and l.service_code = r.service_code and l.status = 'completed'
        and l.service_time >= r.period_start and l.service_time < $as_of::date + 1
    group by all
)

select
    r.city_code, o.city_name, r.district_code, o.district_name, coalesce(r.manager_id, '') as manager_id,
    m.manager_name, r.customer_id, c.customer_name, r.tier, r.service_code, r.n, k.records as completed,
    r.n - k.records as missing, r.period_start, r.period_end, (r.period_end - $as_of::date) as days_left
from running as r
inner join counted as k
    on k.customer_id = r.customer_id and k.service_code = r.service_code and k.period_start = r.period_start
left join customers as c on c.customer_id = r.customer_id
left join org_units as o on o.district_code = r.district_code
left join managers as m on m.manager_id = r.manager_id
where k.records < r.n
order by days_left, r.city_code, r.district_code, manager_id, r.customer_id, r.service_code
