-- Per-customer compliance for one manager's (or one district's) customers (SPEC §6 manager scorecards).
-- Parameters: $manager, $district (null = any), $date_from, $date_to, $as_of, $scope_city, $scope_district.
-- A customer appears when the manager is responsible for at least one of its obligations. The counts and the rate
-- are status_counts (queries/measures/status_counts.sql).
with items as (
    select *
    from compliance_items($date_from, $date_to, $as_of, $scope_city, $scope_district)
    where ($manager is null or coalesce(manager_id, '') = $manager)
        and ($district is null or district_code = $district)
),

per_customer as (
    select i.customer_id, c.customer_name, c.tier, status_counts(i.status) as counts
    from items as i
    left join customers as c on c.customer_id = i.customer_id
    group by all
),

scores as (
    select customer_id, customer_name, tier, unnest(counts)
    from per_customer
)

select customer_id, customer_name, tier, obligations, met, missed, rate, open
from scores
order by rate nulls last, missed desc, customer_id
