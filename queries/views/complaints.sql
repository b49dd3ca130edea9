-- Complaints of a window with the status of each step (SPEC §3, §5), filtered for pages (audit explorer,
-- customer page). Parameters: $customer, $city, $district, $manager, $tier, $status (null = any), $date_from,
-- $date_to, $as_of, $scope_city, $scope_district. $tier is the tier on the day received.
-- A complaint's overall status, for the status filter: 'open' while any step is open; else 'missed' when any
-- step was late; else 'met' (every step on time).
with judged as (
    select
        *,
        case
            when 'open' in (first_contact_status, resolve_status, return_visit_status) then 'open'
            when 'late' in (first_contact_status, resolve_status, return_visit_status) then 'missed'
            else 'met'
        end as status
    from complaint_items($date_from, $date_to, $as_of, $scope_city, $scope_district)
)

select complaint_id, customer_id, city_code, district_code, coalesce(manager_id, '') as manager_id, tier, level,
       received_at, first_contact_at, first_contact_status, resolved_at, resolve_status, return_visit_at,
       return_visit_status, satisfaction, dissatisfied_reason, status
from judged
where ($customer is null or customer_id = $customer)
    and ($city is null or city_code = $city)
    and ($district is null or district_code = $district)
    and ($manager is null or coalesce(manager_id, '') = $manager)
    and ($tier is null or tier = $tier)
    and ($status is null or status = $status)
order by received_at, complaint_id
