-- Per-customer compliance for one manager's (or one district's) customers (SPEC §6 manager scorecards).
-- Parameters: $manager, $district (null = any), $date_from, $date_to, $as_of, $scope_city, $scope_district.
-- A customer appears when the manager is responsible for at least one of its obligations.
with items as (
    select *
    from compliance_items($date_from, $date_to, $as_of, $scope_city, $scope_district)
    where ($manager is null or coalesce(manager_id, '') = $manager)
        and ($district is null or district_code = $district)
)

select
    i.customer_id, c.customer_name, c.tier,
    count(*) filter (where i.status <> 'open') as obligations,
    count(*) filter (where i.status = 'met') as met,
    count(*) filter (where i.status = 'missed') as missed,
    rate(count(*) filter (where i.status = 'met'), count(*) filter (where i.status <> 'open')) as rate,
    count(*) filter (where i.status = 'open') as open
from items as i
left join customers as c on c.customer_id = i.customer_id
group by all
order by rate nulls last, missed desc, i.customer_id
