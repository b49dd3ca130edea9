-- The frequency obligations a view selects (audit explorer, drill-downs, customer page), SPEC §5, §6.
-- Parameters: $date_from, $date_to, $as_of, $scope_city, $scope_district (the reader's scope, SPEC §7) and the
-- filters $city, $district, $manager, $tier, $service, $status, $customer (null = any), $limit.
-- `completed` counts the records known on the as-of date (compliance_items); `missing` is how many more the
-- standard needs; total_rows counts the whole selection before $limit.
with picked as (
    select *
    from compliance_items($date_from, $date_to, $as_of, $scope_city, $scope_district)
    where ($city is null or city_code = $city)
        and ($district is null or district_code = $district)
        and ($manager is null or coalesce(manager_id, '') = $manager)
        and ($tier is null or tier = $tier)
        and ($service is null or service_code = $service)
        and ($status is null or status = $status)
        and ($customer is null or customer_id = $customer)
),

page as (
    select *, (select count(*) from picked) as total_rows  -- not a window: that keeps every row
    from picked
    order by city_code, district_code, customer_id, service_code, period_start
    limit $limit
)

select
    p.customer_id, c.customer_name, p.city_code, o.city_name, p.district_code, o.district_name,
    coalesce(p.manager_id, '') as manager_id, m.manager_name, p.tier, p.service_code,
    p.n, p.period_months, p.period_start, p.period_end,
    p.completed,
    greatest(p.n - p.completed, 0) as missing,
    p.status,
    case when p.status = 'open' then greatest(p.period_end - greatest($as_of::date, p.period_start - 1), 0) end
        as days_left,
    p.total_rows
from page as p
left join customers as c on c.customer_id = p.customer_id
left join org_units as o on o.district_code = p.district_code
left join managers as m on m.manager_id = p.manager_id
order by p.city_code, p.district_code, p.customer_id, p.service_code, p.period_start
