-- The work orders a 回访 view selects, with their verdicts (SPEC §12; return_visit_items), for the order list and
-- its drill-down. Parameters: $date_from, $date_to, $as_of, $scope_city, $scope_district (the reader's scope,
-- SPEC §7) and the filters $city, $district, $manager, $tier, $service (the order type), $status (on_time,
-- missed, open; 'followup_missed' / 'followup_open': orders with such a follow-up), $customer (null = any),
-- $limit. total_rows counts the whole selection before $limit; missed and open orders first, oldest first.
with picked as (
    select *
    from return_visit_items($date_from, $date_to, $as_of, $scope_city, $scope_district)
    where ($city is null or city_code = $city)
        and ($district is null or district_code = $district)
        and ($manager is null or coalesce(manager_id, '') = $manager)
        and ($tier is null or tier = $tier)
        and ($service is null or service_code = $service)
        and ($customer is null or customer_id = $customer)
        and (
            $status is null or status = $status
            or ($status = 'followup_open' and followups_open > 0)
            or ($status = 'followup_missed' and followups > followups_done + followups_open)
        )
),

page as (
    select *, (select count(*) from picked) as total_rows
    from picked
    order by case status when 'missed' then 0 when 'open' then 1 else 2 end, completed_at, order_id
    limit $limit
)

select
    p.order_id, p.customer_id, c.customer_name, p.city_code, o.city_name, p.district_code, o.district_name,
    coalesce(p.manager_id, '') as manager_id, m.manager_name, p.tier, p.service_code, p.completed_at,
    p.first_reach_at,
    case when p.first_reach_at is not null then p.first_reach_at::date - p.completed_date end as days_to_visit,
    p.status, p.same_day, p.satisfaction, p.dissatisfied_reason,
    p.followups, p.followups_done, p.followups_open, p.followups - p.followups_done - p.followups_open
        as followups_missed,
    p.total_rows
from page as p
left join customers as c on c.customer_id = p.customer_id
left join org_units as o on o.district_code = p.district_code
left join managers as m on m.manager_id = p.manager_id
order by case p.status when 'missed' then 0 when 'open' then 1 else 2 end, p.completed_at, p.order_id
