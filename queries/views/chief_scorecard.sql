-- The chief account manager's scorecard (SPEC §12, seed 003 考核): one row per chief account manager — every
-- manager whose role is chief_account_manager placed in the reader's scope, and every manager named as chief of
-- a customer in it — over the window [$date_from, $date_to] as of $as_of (the window's end below is the earlier
-- of $date_to and $as_of: what happens after the as-of date is not known yet).
--   * customers: their customers (customers.chief_manager_id) onboarded on or before the window's end and not
--     lost before its start;
--   * chief-visit compliance (§5): the obligations whose standard (the one applying on the period's first day)
--     makes the chief account manager responsible — chief_visit in the seed standards — and whose responsible
--     manager is this one; the five numbers of status_counts (closed obligations, met, missed, rate, open);
--   * their customers' complaints received in the window (complaint_items, complaint_quality_items):
--     count, resolved on time, satisfaction rate (§3's formula), repeats;
--   * retention: customers served at the window's start (onboarded on or before it, not lost before it) whose
--     lost_date does not lie between the window's start and end, over those served at the start — measured
--     only once a customers file with the optional lost_date [离网日期] column was imported, else null and
--     retention_measured = false ("no data", never 100%);
--   * return visits: their customers' counted work orders (return_visit_items), on time, missed, open, and the
--     rate on time / (on time + missed) — measured only when work orders and return visits were imported;
--   * business development is not measured (the exports carry no revenue): the page and exports say so.
-- Customers belong to their chief as of today's customers file (the export keeps no history of chiefs).
-- $rank_by ('chief_visit', 'complaints', 'retention', 'returnvisits'): the rate that ranks the rows, best
-- first, rows without that rate last. Scope ($scope_city, $scope_district) is applied to every part; $city,
-- $district (null = any) are the page's filters.
-- Parameters: $date_from, $date_to, $as_of, $scope_city, $scope_district, $city, $district, $rank_by.
with their_customers as (
    select c.customer_id, c.chief_manager_id as manager_id, c.onboard_date, c.lost_date
    from customers as c
    where c.chief_manager_id is not null
        and ($scope_city is null or c.city_code = $scope_city)
        and ($scope_district is null or c.district_code = $scope_district)
        and ($city is null or c.city_code = $city)
        and ($district is null or c.district_code = $district)
),

chiefs as (
    select manager_id from managers
    where role = 'chief_account_manager'
        and ($scope_city is null or city_code = $scope_city)
        and ($scope_district is null or district_code = $scope_district)
        and ($city is null or city_code = $city)
        and ($district is null or district_code = $district)
    union
    select manager_id from their_customers
),

bounds as (
    select $date_from::date as start_day, least($date_to::date, $as_of::date) as end_day
),

served as (
    select
        c.manager_id,
        count(*) filter (where c.onboard_date <= b.end_day and coalesce(c.lost_date >= b.start_day, true))
            as customers,
        count(*) filter (where c.onboard_date <= b.start_day and coalesce(c.lost_date >= b.start_day, true))
            as customers_at_start,
        count(*) filter (
            where c.onboard_date <= b.start_day and c.lost_date between b.start_day and b.end_day
        ) as lost
    from their_customers as c, bounds as b
    group by all
),

-- the standards rows that make the chief responsible, with the days they apply (the segment holding a period's
-- first day decides its standard, as in the obligations build)
chief_segments as (
    select city_code, tier, service_code, seg_from, seg_to
    from standard_segments
    where responsible_role = 'chief_account_manager' and requirement = 'count'
),

visits_counted as (
    select i.manager_id, status_counts(i.status) as counts
    from compliance_items($date_from, $date_to, $as_of, $scope_city, $scope_district) as i
    where i.manager_id is not null
        and ($city is null or i.city_code = $city)
        and ($district is null or i.district_code = $district)
        and exists (
            select 1 from chief_segments as g
            where g.city_code = coalesce(i.city_code, '') and g.tier = i.tier and g.service_code = i.service_code
                and i.period_start >= g.seg_from and i.period_start < g.seg_to
        )
    group by all
),

visits as (
    select manager_id, unnest(counts)
    from visits_counted
),

complaint_rows as (
    select
        c.manager_id,
        count(*) as complaints,
        count(*) filter (where i.resolve_status = 'on_time') as resolved_on_time,
        count(*) filter (where i.satisfaction in ('very_satisfied', 'satisfied')) as satisfied,
        count(*) filter (where i.satisfaction in ('very_satisfied', 'satisfied', 'dissatisfied')) as surveyed
    from complaint_items($date_from, $date_to, $as_of, $scope_city, $scope_district) as i
    inner join their_customers as c on c.customer_id = i.customer_id
    group by all
),

repeats as (
    select c.manager_id, count(*) filter (where q.is_repeat) as repeat
    from complaint_quality_items($date_from, $date_to, $as_of, $scope_city, $scope_district) as q
    inner join their_customers as c on c.customer_id = q.customer_id
    group by all
),

orders as (
    select
        c.manager_id,
        count(*) as orders,
        count(*) filter (where r.status = 'on_time') as orders_on_time,
        count(*) filter (where r.status = 'missed') as orders_missed,
        count(*) filter (where r.status = 'open') as orders_open
    from return_visit_items($date_from, $date_to, $as_of, $scope_city, $scope_district) as r
    inner join their_customers as c on c.customer_id = r.customer_id
    group by all
),

measured as (
    select
        exists (select 1 from meta where key = 'seen:customers.lost_date') as retention_measured,
        exists (select 1 from work_orders) and exists (select 1 from return_visits) as returnvisits_measured
),

scored as (
    select
        h.manager_id,
        m.manager_name,
        m.city_code,
        o.city_name,
        m.district_code,
        od.district_name,
        coalesce(s.customers, 0) as customers,
        coalesce(v.obligations, 0) as chief_visit_obligations,
        coalesce(v.met, 0) as chief_visit_met,
        coalesce(v.missed, 0) as chief_visit_missed,
        coalesce(v.open, 0) as chief_visit_open,
        v.rate as chief_visit_rate,
        coalesce(k.complaints, 0) as complaints,
        coalesce(k.resolved_on_time, 0) as complaints_resolved_on_time,
        rate(k.resolved_on_time, k.complaints) as complaints_on_time_rate,
        rate(k.satisfied, k.surveyed) as complaint_satisfaction_rate,
        coalesce(q.repeat, 0) as complaint_repeats,
        case when x.retention_measured then coalesce(s.customers_at_start, 0) end as customers_at_start,
        case when x.retention_measured then coalesce(s.lost, 0) end as customers_lost,
        case when x.retention_measured then rate(s.customers_at_start - s.lost, s.customers_at_start) end
            as retention_rate,
        case when x.returnvisits_measured then coalesce(w.orders, 0) end as orders,
        case when x.returnvisits_measured then coalesce(w.orders_on_time, 0) end as orders_on_time,
        case when x.returnvisits_measured then coalesce(w.orders_missed, 0) end as orders_missed,
        case when x.returnvisits_measured then coalesce(w.orders_open, 0) end as orders_open,
        case when x.returnvisits_measured then rate(w.orders_on_time, w.orders_on_time + w.orders_missed) end
            as return_visit_rate,
        x.retention_measured,
        x.returnvisits_measured
    from chiefs as h
    cross join measured as x
    left join managers as m on m.manager_id = h.manager_id
    left join (select distinct city_code, city_name from org_units) as o on o.city_code = m.city_code
    left join org_units as od on od.district_code = m.district_code
    left join served as s on s.manager_id = h.manager_id
    left join visits as v on v.manager_id = h.manager_id
    left join complaint_rows as k on k.manager_id = h.manager_id
    left join repeats as q on q.manager_id = h.manager_id
    left join orders as w on w.manager_id = h.manager_id
)

select
    rank() over (
        order by
            case $rank_by
                when 'complaints' then complaint_satisfaction_rate
                when 'retention' then retention_rate
                when 'returnvisits' then return_visit_rate
                else chief_visit_rate
            end desc nulls last
    ) as rank,
    *
from scored
order by rank, customers desc, manager_id
